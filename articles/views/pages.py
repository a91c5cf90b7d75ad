"""The article index, the article page and the health check."""

from collections.abc import Callable

from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.views.decorators.cache import never_cache
from django.views.generic import ListView, View

from articles.caching import (
    Stamp,
    cached_html,
    conditional_page,
    published_article_stamps,
    recent_page,
)
from articles.models import Article
from articles.rendering import render_article
from articles.revisions import ArticleState, current_state


class ArticleListView(ListView):
    queryset = Article.objects.published().only("slug", "title", "updated_at")
    template_name = "articles/article_list.html"


def article_body(
    name: str, stamp: Stamp, load_state: Callable[[], ArticleState], **context
) -> SafeString:
    """The article body (title, lead, contents, sections, debates, references) of
    the state `load_state()` gives, rendered once per stamp: a warm page loads no
    sections and parses no markdown."""
    return cached_html(
        name,
        stamp,
        lambda: render_to_string(
            "articles/includes/article_body.html",
            {"rendered": render_article(load_state()), **context},
        ),
    )


class ArticleDetailView(View):
    def get(self, request, slug):
        return recent_page(request, lambda: self.checked_page(request, slug))

    def checked_page(self, request, slug):
        stamps = published_article_stamps(slug)

        def respond():
            article = get_object_or_404(Article.objects.published(), pk=stamps.article_id)
            can_edit = request.user.has_perm("articles.change_article")
            body = article_body(
                "article",
                stamps.page.extend(can_edit),
                lambda: current_state(article),
                title=article.title,
                updated_at=article.updated_at,
                can_edit=can_edit,
                slug=article.slug,
            )
            context = {"article": article, "body": body}
            return render(request, "articles/article_detail.html", context)

        return conditional_page(request, stamps.page, respond)


@never_cache
def healthz(request):
    """200 when the database answers, 503 when it does not (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
