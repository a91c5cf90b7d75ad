"""Element ids that pages link to, from their owners in the models."""

from django import template

from articles import models

register = template.Library()


@register.simple_tag
def argument_anchor(debate_slug: str, slug: str) -> str:
    """`{% argument_anchor debate.slug argument.slug %}`: the id of an argument."""
    return models.argument_anchor(debate_slug, slug)
