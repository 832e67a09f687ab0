from django import template

register = template.Library()


@register.filter
def get(mapping: dict, key):
    """`children|get:node.pk` — dictionary lookup by a variable key; nothing (None) when absent."""
    return mapping.get(key)
