"""The interface language picker: Django's `set_language`, stored in a cookie.

The picker is a form in the header of every page, and public pages are stored
once and given to every anonymous reader (articles/caching.py), so the form
cannot carry a reader's own CSRF token: a stored token would be another reader's,
and issuing one would make every page unshareable. The view is therefore exempt
from the token check and refuses instead what browsers say came from another
site (Fetch Metadata's Sec-Fetch-Site, else Origin). All it can change is the
language cookie, and only towards a language of LANGUAGES.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

SAME_SITE_FETCHES = {"same-origin", "none"}  # "none": typed or bookmarked by the user


def cross_site(request: HttpRequest) -> bool:
    fetched_from = request.headers.get("Sec-Fetch-Site")
    if fetched_from is not None:
        return fetched_from not in SAME_SITE_FETCHES
    origin = request.headers.get("Origin")
    return origin is not None and origin != f"{request.scheme}://{request.get_host()}"


@csrf_exempt
@require_POST
def choose_language(request):
    """Sets the language cookie and returns to `next` (a page of this site)."""
    if cross_site(request):
        raise PermissionDenied
    return set_language(request)
