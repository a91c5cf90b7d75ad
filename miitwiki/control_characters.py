"""Control characters in a request are refused with a 400 before any view runs.

PostgreSQL cannot hold a NUL character in text, so a NUL that reached a query (an
admin filter, an object id in the admin's URLs, the revert summary) was a 500. One
check here covers every view, present and future: a path may hold no control
character at all; query parameters and form fields (a query string is a GET form)
none but tab, carriage return and line feed, which typed and pasted text uses.
"""

import re

from django.shortcuts import render

IN_PATH = re.compile(r"[\x00-\x1f]")
IN_FORM = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# The same characters in a query string, which is still percent-encoded here.
IN_QUERY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]|%(0[0-8bc]|1[0-9a-f])", re.IGNORECASE)

ADDRESS_MESSAGE = (
    "The address holds a control character (such as a NUL byte, %00), which no page "
    "address or search on this site can contain. Remove it and try again."
)
FORM_MESSAGE = (
    "The form holds a control character ({character}) in “{field}”. Text may contain "
    "tabs and line breaks but no other control characters, so the form was refused as a "
    "whole: go back, remove it (pasted text sometimes carries one) and send it again."
)


def form_problem(request) -> str | None:
    """The message for the first form field (name or value) holding a control character."""
    for name, values in request.POST.lists():
        for text in (name, *values):
            found = IN_FORM.search(text)
            if found:
                field = name if not IN_FORM.search(name) else "a field name"
                return FORM_MESSAGE.format(character=f"U+{ord(found[0]):04X}", field=field)
    return None


class ControlCharacterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if IN_PATH.search(request.path_info) or IN_QUERY.search(
            request.META.get("QUERY_STRING", "")
        ):
            problem = ADDRESS_MESSAGE
        elif request.method == "POST":
            problem = form_problem(request)
        else:
            problem = None
        if problem:
            return render(request, "400.html", {"message": problem}, status=400)
        return self.get_response(request)
