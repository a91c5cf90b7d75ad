"""Template filters for links built from stored values."""

from urllib.parse import urlsplit

from django import template

register = template.Library()


@register.filter
def http_url(value) -> str:
    """`value` when it is an http or https URL, else "".

    Forms only accept such URLs, but fixtures and old revisions skip form
    validation; an href built with this filter can never run script.
    """
    value = str(value or "")
    return value if urlsplit(value).scheme.lower() in {"http", "https"} else ""
