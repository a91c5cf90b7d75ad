"""Stored API answers served before URL resolution: the innermost middleware.

A warm API answer is bytes stored once per stamp and content coding by
`articles.caching.cached_page` (REST framework rendered them once, on a miss).
The article page's view is found early in the URLconf, the API's late, behind
every route of the site, and reached through the API's own view wrappers: per
request that cost the API a tenth of its throughput against the page's. Here an
anonymous GET without credentials is given the answer the same worker handed
out within PAGE_FRESH_SECONDS without resolving its URL at all. Everything else
(misses, errors, 429s, editors, query strings) goes on to the view as before.

Innermost, so every other middleware (CORS, security headers, the CSP,
Content-Length) treats the stored answer as it treats one from the view.
"""

from django.http import HttpRequest, HttpResponse

from articles.caching import served_recently

API_PREFIX = "/api/v1/"


def stored_answers(get_response):
    def middleware(request: HttpRequest) -> HttpResponse:
        stored = None
        if request.path.startswith(API_PREFIX) and "HTTP_AUTHORIZATION" not in request.META:
            stored = served_recently(request)
        return get_response(request) if stored is None else stored

    return middleware
