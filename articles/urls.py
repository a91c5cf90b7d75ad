from django.urls import path, register_converter

from articles import feeds
from articles.anchors import AnchorConverter
from articles.ids import IdConverter
from articles.views import cite, debates, history, language, maintenance, pages, search, sources

app_name = "articles"
register_converter(IdConverter, "id")
register_converter(AnchorConverter, "anchor")

urlpatterns = [
    path("", pages.ArticleListView.as_view(), name="index"),
    path("recent/", history.recent, name="recent"),
    path("recent/feed/", feeds.RecentChangesFeed(), name="recent-feed"),
    path("wiki/<slug:slug>/", pages.article_detail, name="detail"),
    path("wiki/<slug:slug>/cite.<str:extension>", cite.article_cite, name="article-cite"),
    path("wiki/<slug:slug>/history/", history.article_history, name="history"),
    path("wiki/<slug:slug>/history/feed/", feeds.ArticleHistoryFeed(), name="history-feed"),
    path("wiki/<slug:slug>/revision/<id:revision_id>/", history.article_revision, name="revision"),
    path("wiki/<slug:slug>/revision/<id:revision_id>/revert/", history.revert, name="revert"),
    path("wiki/<slug:slug>/diff/", history.article_diff, name="diff"),
    path(
        "wiki/<slug:slug>/section/<anchor:anchor>/history/",
        history.section_history_view,
        name="section-history",
    ),
    path("wiki/<slug:slug>/debate/<slug:debate_slug>/", debates.debate_detail, name="debate"),
    path("sources/", sources.source_list, name="sources"),
    path("sources/<slug:key>/", sources.source_detail, name="source"),
    path("sources/<slug:key>/cite.<str:extension>", cite.source_cite, name="source-cite"),
    path("search/", search.search_view, name="search"),
    path("maintenance/", maintenance.maintenance, name="maintenance"),
    path("language/", language.choose_language, name="set-language"),
]
