from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from articles import editor
from articles.sitemaps import SITEMAPS
from miitwiki import health

urlpatterns = [
    path("", include("articles.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("editor/preview/", editor.preview, name="editor-preview"),
    path("editor/upload/", editor.UploadView.as_view(), name="editor-upload"),
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
]
# Development only: in production the web server or object storage serves media.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Says which size limit a refused request broke (Django's own page says nothing).
handler400 = "articles.views.errors.bad_request"
# While the database is unreachable, a small 503 page instead of a 500.
handler500 = "articles.views.outages.server_error"
