from django.urls import path

from articles import feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="index"),
    path("recent/", views.recent, name="recent"),
    path("recent/feed/", feeds.RecentChangesFeed(), name="recent-feed"),
    path("wiki/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("wiki/<slug:slug>/history/", views.article_history, name="history"),
    path("wiki/<slug:slug>/history/feed/", feeds.ArticleHistoryFeed(), name="history-feed"),
    path("wiki/<slug:slug>/revision/<int:revision_id>/", views.article_revision, name="revision"),
    path("wiki/<slug:slug>/revision/<int:revision_id>/revert/", views.revert, name="revert"),
    path("wiki/<slug:slug>/diff/", views.article_diff, name="diff"),
    path(
        "wiki/<slug:slug>/section/<slug:anchor>/history/",
        views.section_history_view,
        name="section-history",
    ),
]
