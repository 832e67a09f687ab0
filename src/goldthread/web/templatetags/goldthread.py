from django import template
from django.utils.safestring import SafeString, mark_safe

from goldthread.folders.markdown import to_html

register = template.Library()


@register.filter
def pairs(mapping: dict) -> list:
    """`changes|pairs` — a dict's (key, value) pairs, even when one of its keys is "items"."""
    return list(mapping.items()) if isinstance(mapping, dict) else []


@register.filter
def get(mapping: dict, key):
    """`children|get:node.pk` — dictionary lookup by a variable key; nothing (None) when absent."""
    return mapping.get(key)


@register.filter
def markdown(text: str) -> SafeString:
    """`section.text|markdown` — folder Markdown as sanitized HTML (see folders/markdown.py)."""
    return mark_safe(to_html(text))  # noqa: S308 - to_html escapes raw HTML and cleans its output against an allow-list
