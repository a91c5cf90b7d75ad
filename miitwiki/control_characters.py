"""Control characters in a page address are refused with a 400 before any view runs.

PostgreSQL cannot hold a NUL character in text, so a NUL that reached a query (an
admin filter, an object id in the admin's URLs) was a 500. One check here covers
every view, present and future: a path may hold no control character at all; a
query string (a search, a filter) none but tab, carriage return and line feed,
which pasted text carries.

Form bodies are left to the forms: Django's CharField refuses a NUL with a form
error that keeps the rest of what the editor typed, where a 400 here would lose it.
"""

import re

from django.shortcuts import render

IN_PATH = re.compile(r"[\x00-\x1f]")
# Refused in the values of a query string...
IN_QUERY_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# ... which is still percent-encoded here.
IN_QUERY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]|%(0[0-8bc]|1[0-9a-f])", re.IGNORECASE)

MESSAGE = (
    "The address holds a control character (such as a NUL byte, %00), which no page "
    "address or search on this site can contain. Remove it and try again."
)


class ControlCharacterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if IN_PATH.search(request.path_info) or IN_QUERY.search(
            request.META.get("QUERY_STRING", "")
        ):
            return render(request, "400.html", {"message": MESSAGE}, status=400)
        return self.get_response(request)
