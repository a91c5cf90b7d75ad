"""The debate page: both sides with their evidence, rebuttals and the balance."""

from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string

from articles.caching import cached_html, conditional_page, published_article_stamps, recent_page
from articles.debates import debate_page
from articles.models import Debate


def debate_detail(request, slug, debate_slug):
    return recent_page(request, lambda: checked_debate(request, slug, debate_slug))


def checked_debate(request, slug, debate_slug):
    """Cached and revalidated by the article's stamp: every debate save touches its
    article, and the cited sources are in the stamp too."""
    stamps = published_article_stamps(slug)
    stamp = stamps.page.extend("debate", debate_slug)

    def respond():
        debate = get_object_or_404(
            Debate.objects.select_related("article", "section"),
            article_id=stamps.article_id,
            slug=debate_slug,
        )
        board = cached_html(
            "debate",
            stamp,
            lambda: render_to_string(
                "articles/includes/debate_board.html",
                {"debate": debate, "page": debate_page(list(debate.arguments.all()))},
            ),
        )
        context = {"article": debate.article, "debate": debate, "board": board}
        return render(request, "articles/debate_detail.html", context)

    return conditional_page(request, stamp, respond)
