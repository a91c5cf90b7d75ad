"""The debate page: both sides with their evidence, rebuttals and the balance."""

from django.shortcuts import get_object_or_404, render

from articles.caching import cached_page, lazily
from articles.debates import DebatePage, debate_page
from articles.linked_data import debate_script, origin
from articles.models import Debate
from articles.stamps import article_stamp


def render_board(debate: Debate) -> DebatePage:
    return debate_page(list(debate.arguments.all()))


@cached_page(article_stamp)
def debate_detail(request, slug, debate_slug, stamp):
    """Cached and revalidated by the article's stamp: every debate save touches its
    article, and the cited sources are in the stamp too."""
    debate = get_object_or_404(
        Debate.objects.select_related("article", "section"),
        article_id=stamp.article_id,
        slug=debate_slug,
    )
    context = {
        "article": debate.article,
        "debate": debate,
        "stamp": stamp,
        "page": lazily(render_board, debate),
        "site": origin(request),
    }
    context["linked_data"] = lazily(debate_script, debate, context["page"], context["site"])
    return render(request, "articles/debate_detail.html", context)
