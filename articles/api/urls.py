"""/api/v1/ (the endpoints), /api/schema/ (OpenAPI 3) and /api/docs/ (Swagger UI,
its assets served by the site: drf-spectacular-sidecar)."""

from csp.decorators import csp_update
from django.urls import path, re_path
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from articles.api import views

app_name = "api"
# `<id:…>` (articles.ids) and `<anchor:…>` (articles.anchors) are registered by
# articles.urls, included before this URLconf.

urlpatterns = [
    path("v1/articles/", views.ArticleList.as_cached_view(), name="articles"),
    path("v1/articles/<slug:slug>/", views.ArticleDetail.as_cached_view(), name="article"),
    path(
        "v1/articles/<slug:slug>/revisions/", views.RevisionList.as_cached_view(), name="revisions"
    ),
    path(
        "v1/articles/<slug:slug>/revisions/<id:revision_id>/",
        views.RevisionDetail.as_cached_view(),
        name="revision",
    ),
    path("v1/articles/<slug:slug>/diff/", views.RevisionDiff.as_cached_view(), name="diff"),
    path(
        "v1/articles/<slug:slug>/sections/<anchor:anchor>/history/",
        views.SectionHistory.as_cached_view(),
        name="section-history",
    ),
    path("v1/sources/", views.SourceList.as_cached_view(), name="sources"),
    path("v1/debates/", views.DebateList.as_cached_view(), name="debates"),
    path("v1/search/", views.Search.as_cached_view(), name="search"),
    path("v1/recent/", views.RecentChanges.as_cached_view(), name="recent"),
    # JSON first: what curl and schemathesis get without asking.
    path(
        "schema/",
        SpectacularAPIView.as_view(renderer_classes=[OpenApiJsonRenderer, OpenApiYamlRenderer]),
        name="schema",
    ),
    # The split view serves its start-up script as a file: the CSP allows no inline
    # script. Swagger UI's icons are data: images (images run nothing).
    path(
        "docs/",
        csp_update({"img-src": ["data:"]})(
            SpectacularSwaggerSplitView.as_view(
                url_name="api:schema", template_name="api/docs.html"
            )
        ),
        name="docs",
    ),
    re_path(r"^[\s\S]*\Z", views.NoSuchEndpoint.as_view(), name="not-found"),  # even newlines
]
