"""Atom feeds of recent changes, site-wide and per article."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from articles.models import Article
from articles.revisions import RecentChange, recent_changes


def change_link(change: RecentChange) -> str:
    """The diff against the previous revision, or the first revision itself."""
    slug, revision_id = change.article.slug, change.revision.pk
    if change.previous_id is None:
        return reverse("articles:revision", args=[slug, revision_id])
    query = f"?from={change.previous_id}&to={revision_id}"
    return reverse("articles:diff", args=[slug]) + query


class RecentChangesFeed(Feed):
    feed_type = Atom1Feed
    title = "MiitWiki: recent changes"
    subtitle = "Every edit to every article, newest first."

    def link(self):
        return reverse("articles:recent")

    def items(self):
        return recent_changes(Article.objects.published(), limit=50)

    def item_title(self, change):
        summary = change.revision.comment or "No edit summary"
        return f"{change.article.title}: {summary}"

    def item_description(self, change):
        return f"Edited by {change.revision.user or 'an unknown editor'}."

    def item_link(self, change):
        return change_link(change)

    def item_guid(self, change):
        return f"miitwiki-revision-{change.revision.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, change):
        return change.revision.date_created

    def item_updateddate(self, change):
        return change.revision.date_created

    def item_author_name(self, change):
        return str(change.revision.user) if change.revision.user else None


class ArticleHistoryFeed(RecentChangesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Article.objects.published(), slug=slug)

    def title(self, article):
        return f"MiitWiki: history of {article.title}"

    def link(self, article):
        return reverse("articles:history", args=[article.slug])

    def items(self, article):
        return recent_changes([article], limit=50)
