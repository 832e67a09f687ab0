from django import template

register = template.Library()


@register.filter
def pairs(mapping: dict) -> list:
    """`changes|pairs` — a dict's (key, value) pairs, even when one of its keys is "items"."""
    return list(mapping.items()) if isinstance(mapping, dict) else []


@register.filter
def get(mapping: dict, key):
    """`children|get:node.pk` — dictionary lookup by a variable key; nothing (None) when absent."""
    return mapping.get(key)
