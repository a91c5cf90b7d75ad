"""A database outage answers 503 with a small page, not a 500 with a traceback.

Django turns an exception raised anywhere while answering (a view, a template,
the session or auth middleware) into handler500's response, so the mapping lives
there and covers every layer. The page is static: the database is not there to
help render it.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.views import defaults

DATABASE_DOWN = (OperationalError, InterfaceError)  # can't connect; connection lost
RETRY_AFTER_SECONDS = 5


def database_unavailable() -> HttpResponse:
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def server_error(request):
    """handler500: a 503 while the database is unreachable, Django's 500 otherwise."""
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        return database_unavailable()
    return defaults.server_error(request)
