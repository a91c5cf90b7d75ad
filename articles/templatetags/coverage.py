"""Citation coverage of an article, for pages whose view does not compute it."""

from django import template

from articles.maintenance import citation_coverage

register = template.Library()


@register.inclusion_tag("articles/includes/coverage.html")
def article_coverage(article):
    """Share of the article's paragraphs citing a source (one query: section bodies)."""
    bodies = article.sections.values_list("body", flat=True)
    return {"coverage": citation_coverage([article.lead, *bodies])}
