"""The article index, the article page and the health check."""

from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView

from articles.models import Article
from articles.rendering import render_article
from articles.revisions import current_state


class ArticleListView(ListView):
    queryset = Article.objects.published().only("slug", "title", "updated_at")
    template_name = "articles/article_list.html"


class ArticleDetailView(DetailView):
    queryset = Article.objects.published()
    template_name = "articles/article_detail.html"

    def get_context_data(self, **kwargs):
        state = current_state(self.object)
        return super().get_context_data(rendered=render_article(state), **kwargs)


@never_cache
def healthz(request):
    """200 when the database answers, 503 when it does not (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
