"""Sitemaps for search engines: published articles and their debate pages."""

from django.contrib.sitemaps import Sitemap

from articles.models import Article, Debate


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 1.0

    def items(self):
        return Article.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, article):
        return article.updated_at


class DebateSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        # A debate is saved with its article, so the article's last edit dates it.
        return (
            Debate.objects.filter(article__status=Article.Status.PUBLISHED)
            .select_related("article")
            .only("slug", "article__slug", "article__updated_at")
            .order_by("pk")
        )

    def lastmod(self, debate):
        return debate.article.updated_at


SITEMAPS = {"articles": ArticleSitemap, "debates": DebateSitemap}
