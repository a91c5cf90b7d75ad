from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView

from articles.models import Article
from articles.rendering import render_article


class ArticleListView(ListView):
    queryset = Article.objects.published().only("slug", "title", "updated_at")
    template_name = "articles/article_list.html"


class ArticleDetailView(DetailView):
    queryset = Article.objects.published()
    template_name = "articles/article_detail.html"

    def get_context_data(self, **kwargs):
        article = self.object
        sections = list(article.sections.all())
        debates = list(article.debates.prefetch_related("arguments"))
        return super().get_context_data(
            rendered=render_article(article, sections, debates), **kwargs
        )


@never_cache
def healthz(request):
    """200 when the database answers, 503 when it does not (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
