"""The API speaks English whatever the reader's interface language: its messages
(REST framework's own included), its schema's descriptions and its docs. One
language keeps answers, stored answers and the published schema the same for
every client; the site's pages are the translated interface (docs/languages.md)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from articles.api.cors import API_PREFIX


def english_api(get_response):
    """Middleware, after LocaleMiddleware: /api/ answers in LANGUAGE_CODE."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return get_response(request)
        with translation.override(settings.LANGUAGE_CODE):
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
            response = get_response(request)
        response.headers["Content-Language"] = settings.LANGUAGE_CODE
        return response

    return middleware
