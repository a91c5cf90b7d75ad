"""Cursor pagination that answers junk with an error instead of guessing.

REST framework quietly clamps a page size that is too big, answers a cursor it
cannot decode with a 404, and passes a decoded cursor's position straight into a
query, where a word in place of an id is a 500 (and, on SQLite, so is a number too
big for the column). Here a bad `limit` and any junk cursor are 400s: junk in the
query, not a missing page.
"""

import re

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination

from articles.ids import in_id_range

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,200}")
CURSOR_FORMAT = "cursor"  # the schema's name for an opaque cursor (tests/api/test_schema.py)


def valid_position(position: str, *, numeric: bool) -> bool:
    if numeric:
        return position.isascii() and position.isdigit() and in_id_range(int(position))
    return SLUG.fullmatch(position) is not None


class Cursor(CursorPagination):
    """Pages of `page_size` (at most `max_page_size` with ?limit=), in `ordering`."""

    page_size = 20
    max_page_size = 100
    page_size_query_param = "limit"
    ordering = "slug"
    numeric = False  # whether the ordering field is an id

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= self.max_page_size):
            raise ValidationError(
                {self.page_size_query_param: f"a whole number from 1 to {self.max_page_size}"}
            )
        return int(raw)

    def decode_cursor(self, request):
        junk = ValidationError({self.cursor_query_param: self.invalid_cursor_message})
        try:
            cursor = super().decode_cursor(request)
        except NotFound as error:
            raise junk from error
        position = cursor.position if cursor else None
        if position is not None and not valid_position(position, numeric=self.numeric):
            raise junk
        return cursor

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
            if parameter["name"] == self.cursor_query_param:
                # Opaque: only what a page's `next` or `previous` link holds; any
                # other string is junk, answered 400.
                parameter["schema"]["format"] = CURSOR_FORMAT
        return parameters


class ByKey(Cursor):
    ordering = "key"


class ById(Cursor):
    ordering = "id"
    numeric = True


class NewestRevisionFirst(Cursor):
    ordering = "-revision_id"
    numeric = True


class SectionChanges(NewestRevisionFirst):
    """A section's history: the page with the section's id (`view.section_id`)."""

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data = {"section": self.section_id, **response.data}
        return response

    def paginate_queryset(self, queryset, request, view=None):
        self.section_id = view.section_id
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response_schema(self, schema: dict) -> dict:
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"] = {"section": {"type": "integer"}, **paginated["properties"]}
        paginated["required"] = ["section", *paginated.get("required", [])]
        return paginated
