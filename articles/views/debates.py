"""The debate page: both sides with their evidence, rebuttals and the balance."""

from django.shortcuts import get_object_or_404, render

from articles.debates import debate_page
from articles.models import Article, Debate


def debate_detail(request, slug, debate_slug):
    debate = get_object_or_404(
        Debate.objects.select_related("article", "section").filter(
            article__status=Article.Status.PUBLISHED
        ),
        article__slug=slug,
        slug=debate_slug,
    )
    page = debate_page(list(debate.arguments.all()))
    return render(
        request,
        "articles/debate_detail.html",
        {"article": debate.article, "debate": debate, "page": page},
    )
