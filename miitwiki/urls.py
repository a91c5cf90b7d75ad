from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from articles import editor
from articles.views import pages

urlpatterns = [
    path("", include("articles.urls")),
    path("healthz", pages.healthz, name="healthz"),
    path("editor/preview/", editor.preview, name="editor-preview"),
    path("editor/upload/", editor.UploadView.as_view(), name="editor-upload"),
    path("admin/", admin.site.urls),
]
# Development only: in production the web server or object storage serves media.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
