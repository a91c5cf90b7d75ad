"""The article index and the article page."""

from django.shortcuts import get_object_or_404, render
from django.views.generic import ListView

from articles.caching import cached_page, lazily
from articles.models import Article
from articles.permissions import is_editor
from articles.rendering import RenderedArticle, render_article
from articles.revisions import current_state
from articles.stamps import article_stamp


class ArticleListView(ListView):
    queryset = Article.objects.published().only("slug", "title", "updated_at")
    template_name = "articles/article_list.html"


def render_current(article: Article) -> RenderedArticle:
    return render_article(current_state(article))


@cached_page(article_stamp)
def article_detail(request, slug, stamp):
    """The article; its body (a warm page loads no sections and parses no markdown)
    is a fragment cached by the stamp."""
    article = get_object_or_404(Article.objects.published(), pk=stamp.article_id)
    context = {
        "article": article,
        "stamp": stamp,
        "rendered": lazily(render_current, article),
        "can_edit": is_editor(request.user),
    }
    return render(request, "articles/article_detail.html", context)
