from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict, key: object) -> object:
    """`mapping|get_item:key` for dicts keyed by ids or names."""
    return mapping.get(key) if hasattr(mapping, "get") else None
