"""CORS for the read API: any origin may GET it (nothing in it is private to a
browser's cookies: credentials are never allowed across origins)."""

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

API_PREFIX = "/api/"
PREFLIGHT = {
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Authorization, If-None-Match, If-Modified-Since",
    "Access-Control-Max-Age": "86400",
}


def read_only_cors(get_response):
    """Middleware: the CORS headers on every answer under /api/, preflights included.
    `Vary: Authorization` too: an answer to an editor's token is not everyone's."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if request.path.startswith(API_PREFIX):
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Expose-Headers"] = "ETag, Last-Modified, Retry-After"
            if request.method == "OPTIONS":
                for header, value in PREFLIGHT.items():
                    response[header] = value
            patch_vary_headers(response, ["Authorization"])
        return response

    return middleware
