"""The article index and the article page."""

from django.shortcuts import get_object_or_404, render
from django.views.generic import ListView

from articles.caching import cached_page, lazily
from articles.linked_data import article_script, origin
from articles.models import Article
from articles.permissions import is_editor
from articles.rendering import RenderedArticle, render_article
from articles.revisions import current_state
from articles.stamps import article_stamp
from articles.translations import published_translations


class ArticleListView(ListView):
    queryset = Article.objects.published().only("slug", "title", "language", "updated_at")
    template_name = "articles/article_list.html"


def render_current(article: Article) -> RenderedArticle:
    return render_article(current_state(article))


@cached_page(article_stamp)
def article_detail(request, slug, stamp):
    """The article; its body and its translations (a warm page loads no sections,
    parses no markdown and reads no translation) are fragments cached by the stamp."""
    article = get_object_or_404(Article.objects.published(), pk=stamp.article_id)
    context = {
        "article": article,
        "stamp": stamp,
        "rendered": lazily(render_current, article),
        "translations": lazily(published_translations, stamp.translation_group),
        "can_edit": is_editor(request.user),
        "site": origin(request),
    }
    context["linked_data"] = lazily(article_script, article, context["rendered"], context["site"])
    return render(request, "articles/article_detail.html", context)
