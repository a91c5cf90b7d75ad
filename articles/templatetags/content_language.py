"""Template filters for the language of an article's text (articles.languages)."""

from django import template

from articles.languages import language_name as name_of
from articles.languages import text_direction as direction_of

register = template.Library()


@register.filter
def text_direction(tag) -> str:
    """ "rtl" or "ltr": the `dir` of text in the language `tag`."""
    return direction_of(str(tag or ""))


@register.filter
def language_name(tag) -> str:
    """The language's name in itself: 简体中文, English."""
    return name_of(str(tag or ""))
