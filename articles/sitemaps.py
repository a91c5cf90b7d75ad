"""Sitemaps for search engines: published articles and their debate pages.

An article with translations lists each of them, itself included, as an
`<xhtml:link rel="alternate" hreflang=…>` (the same alternates as its page's
`<link rel="alternate">`), read for all articles of a sitemap page at once.
"""

from django.contrib.sitemaps import Sitemap

from articles.models import Article, Debate, translations_in


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 1.0

    def items(self):
        articles = Article.objects.published().with_translations()
        fields = ("slug", "updated_at", "language", "translation_member__group__changed_at")
        return articles.only(*fields).order_by("pk")

    def lastmod(self, article):
        return article.updated_at

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page, site, protocol)
        for url in urls:
            # Django's sitemap template writes `alternates`; its own are for i18n
            # URL prefixes, these for articles that translate each other.
            origin = url["location"].removesuffix(url["item"].get_absolute_url())
            url["alternates"] = [
                {"lang_code": other.language, "location": origin + other.get_absolute_url()}
                for other in translations_in(url["item"])
            ]
        return urls


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
