"""Junk for the fuzz suite (tests/test_fuzz.py), and where a page says to send it.

Values are percent-encoded, as they travel in a URL or a form body, so that bytes
no Python string holds (invalid UTF-8) can be sent too. A page names its targets:
the query parameters its own links and GET forms send back to it, and the forms
that post back to it.
"""

import io
import string
import struct
import zlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import (
    parse_qsl,
    quote,
    quote_from_bytes,
    quote_plus,
    unquote_plus,
    urljoin,
    urlsplit,
)

from django import forms
from django.urls import Resolver404, resolve
from hypothesis import strategies as st
from PIL import Image

MISSING, REPEATED = "(missing)", "(repeated)"  # left out; sent twice, junk first
NUMBERS = {
    "huge integer": "9223372036854775808",
    "negative integer": "-1",
    "exponent": "1e3",
}
TEXTS = {
    "NUL": "a%00b",
    "control characters": "%01%08%0B%1B%7F",
    "invalid UTF-8": "%FF%FE",
    "4 KB string": "9" * 4096,
    "impossible date": "2020-02-30",
}
SEARCHES = {"50 dashes": "-" * 50, "-+ 100 times": "-%2B" * 100, "operators": "%21%28%26%7C"}
PATH_JUNK = {**NUMBERS, **TEXTS, "empty": ""}
# A parameter the page links to; one a GET form lets users type (a search) gets
# operator-only searches too.
LINKED_JUNK = {**PATH_JUNK, "missing": MISSING, "repeated": REPEATED}
TYPED_JUNK = {**LINKED_JUNK, **SEARCHES}
# What can break a request before any permission check (the URL resolver, the
# session and login middleware, the redirect to the login page): all that users
# a URL refuses are sent.
DOOR_JUNK = {label: PATH_JUNK[label] for label in ("huge integer", "NUL", "invalid UTF-8")}

# Typed into every textarea of a posted form: a refused save must show it again.
MARKER = "Typed by the fuzzer, kept on refusal"


def field_junk(value: str) -> dict[str, str]:
    """The junk for a form field, by what it holds: a posted form re-renders a whole
    admin page, so each field gets the values that can break its kind of parsing."""
    plain = unquote_plus(value)
    if plain.isdigit():  # an id, a count, a position
        labels = ["huge integer", "negative integer", "exponent", "NUL"]
    elif plain:
        labels = ["NUL", "4 KB string", "impossible date", "invalid UTF-8"]
    else:  # an optional field: a date, a choice of object, a note
        labels = ["huge integer", "exponent", "NUL", "impossible date"]
    return {**{label: {**NUMBERS, **TEXTS}[label] for label in labels}, "missing": MISSING}


def junk_values() -> st.SearchStrategy[str]:
    """Values beyond the fixed lists: any text, any bytes, integers of any size and
    strings shaped like partial dates, percent-encoded."""
    return st.one_of(
        st.integers().map(str),
        st.text(max_size=30).map(lambda text: quote(text, safe="")),
        st.binary(max_size=30).map(lambda data: quote_from_bytes(data, safe="")),
        st.from_regex(r"\A-?\d{1,5}(-\d{1,3}){0,2}\Z"),
    )


def png(width: int, height: int) -> bytes:
    """A 1-bit PNG of that size, or for a huge one its header alone: all Pillow
    reads before its decompression-bomb check."""
    if width * height <= 64:
        buffer = io.BytesIO()
        Image.new("1", (width, height)).save(buffer, "PNG")
        return buffer.getvalue()

    def chunk(kind: bytes, data: bytes) -> bytes:
        checksum = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", checksum)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


# For file fields: (file name, content, declared content type).
FILE_JUNK = {
    "empty file": ("image.png", b"", "image/png"),
    "text declared as PNG": ("image.png", b"not an image", "image/png"),
    "PNG header of 20000x20000 pixels": ("image.png", png(20000, 20000), "image/png"),
    "SVG": ("image.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml"),
    "4 KB file name": ("x" * 4096 + ".png", png(1, 1), "image/png"),
    "NUL in the file name": ("a\x00b.png", png(1, 1), "image/png"),
    "PNG declared as GIF": ("image.gif", png(1, 1), "image/gif"),
}

Pairs = list[tuple[str, str]]  # (name, percent-encoded value), in the order sent


@dataclass
class Form:
    method: str
    action: str
    pairs: Pairs = field(default_factory=list)
    textareas: list[str] = field(default_factory=list)
    unsent: list[str] = field(default_factory=list)  # unchecked boxes, empty multiple choices


class Page(HTMLParser):
    """The links and forms of a page, with the values a browser would send."""

    def __init__(self, html: str):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[Form] = []
        self.textarea: str | None = None
        self.select: tuple[str, bool] | None = None  # name, multiple
        self.first_option: str | None = None
        self.chosen = False
        self.feed(html)
        self.close()

    def add(self, name: str, value: str | None) -> None:
        """A field and the value a browser sends for it (None: it sends none)."""
        if self.forms and "__prefix__" not in name:  # an inline row's empty template
            if value is None:
                self.forms[-1].unsent.append(name)
            else:
                self.forms[-1].pairs.append((name, quote_plus(value)))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self.forms.append(Form((attrs.get("method") or "get").upper(), attrs.get("action")))
        elif tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"checkbox", "radio"}:
                self.add(name, attrs.get("value", "on") if "checked" in attrs else None)
            elif kind not in {"submit", "button", "image", "reset", "file"}:
                self.add(name, attrs.get("value") or "")
        elif tag == "textarea" and name:
            self.textarea = name
            if self.forms and "__prefix__" not in name:
                self.forms[-1].textareas.append(name)
        elif tag == "select" and name:
            self.select, self.first_option, self.chosen = (name, "multiple" in attrs), None, False
        elif tag == "option" and self.select:
            value = attrs.get("value", "")
            self.first_option = value if self.first_option is None else self.first_option
            if "selected" in attrs:
                self.add(self.select[0], value)
                self.chosen = True

    def handle_data(self, data):
        if self.textarea:
            self.add(self.textarea, data.removeprefix("\n"))  # as browsers drop it
            self.textarea = None

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea:  # an empty textarea
            self.add(self.textarea, "")
            self.textarea = None
        elif tag == "select" and self.select:
            name, multiple = self.select
            if not self.chosen:  # a browser sends the first option of a single choice
                self.add(name, None if multiple else self.first_option)
            self.select = None


def same_path(url: str, target: str | None) -> bool:
    return urlsplit(urljoin(url, target or "")).path == urlsplit(url).path


def query_pairs(url: str) -> Pairs:
    query = urlsplit(url).query
    return [(name, quote_plus(value)) for name, value in parse_qsl(query, keep_blank_values=True)]


def query_names(page: Page, url: str) -> tuple[set[str], set[str]]:
    """The query parameters sent to the page's own path: by its links (and the row's
    URL), and by its GET forms, which users type into."""
    linked = {name for name, _ in query_pairs(url)}
    for href in page.links:
        if same_path(url, href):
            linked |= {name for name, _ in query_pairs(urljoin(url, href))}
    typed = set()
    for form in page.forms:
        if form.method == "GET" and same_path(url, form.action):
            typed |= {name for name, _ in form.pairs}
    return linked - typed, typed


def changelist_names(response) -> set[str]:
    """The filter parameters of an admin changelist, those with nothing to offer in
    this world too (no source has a date, so the year filter shows no link)."""
    changelist = response.context and response.context.get("cl")
    if not changelist:
        return set()
    names = {name for spec in changelist.filter_specs for name in spec.expected_parameters()}
    names |= {getattr(item, "parameter_name", None) for item in changelist.list_filter} - {None}
    if changelist.date_hierarchy:
        names |= {f"{changelist.date_hierarchy}__{part}" for part in ("year", "month", "day")}
    return names


def own_forms(page: Page, url: str) -> list[Form]:
    """The forms that post back to the page's own path (others join with their own
    row), with the marker typed into their textareas."""
    forms = [form for form in page.forms if form.method == "POST" and same_path(url, form.action)]
    for form in forms:
        form.action = urljoin(url, form.action or url)
        typed = set(form.textareas)
        form.pairs = [(name, quote_plus(MARKER) if name in typed else value)
                      for name, value in form.pairs]  # fmt: skip
    return forms


def view_form(url: str) -> forms.Form | None:
    """The form of a class-based form view that no page shows (the image upload)."""
    try:
        view = resolve(urlsplit(url).path).func
    except Resolver404:
        return None
    form_class = getattr(getattr(view, "view_class", None), "form_class", None)
    return form_class() if form_class else None


def targets(form: Form) -> list[str]:
    """The names to junk in turn: inline rows after the first repeat its code path,
    and the CSRF token is Django's own check."""
    names = []
    for name in [name for name, _ in form.pairs] + form.unsent:
        parts = name.split("-")
        repeat = len(parts) > 2 and parts[-2].isdigit() and parts[-2] != "0"
        if name not in names and not repeat and name != "csrfmiddlewaretoken":
            names.append(name)
    return names


def with_junk(pairs: Pairs, name: str, value: str) -> Pairs:
    """`pairs` with `name` holding `value` instead (added if absent); MISSING leaves it
    out, REPEATED sends it twice, a huge integer first."""
    index = next((i for i, pair in enumerate(pairs) if pair[0] == name), len(pairs))
    kept = [pair for pair in pairs if pair[0] != name]
    if value == MISSING:
        return kept
    if value == REPEATED:
        return [*pairs[:index], (name, NUMBERS["huge integer"]), *pairs[index:]]
    before = [pair for pair in pairs[:index] if pair[0] != name]
    return [*before, (name, value), *kept[len(before) :]]


def encode(pairs: Pairs) -> str:
    return "&".join(f"{quote_plus(name)}={value}" for name, value in pairs)


def path_names(template: str) -> list[str]:
    """The placeholders in the path part of a URL table row (`{slug}`, `{rev1}`)."""
    path = template.split("?")[0]
    return [name for _, name, _, _ in string.Formatter().parse(path) if name]


def with_path_junk(template: str, world: dict, name: str, value: str) -> str:
    path, _, query = template.partition("?")
    path = path.format(**{**world, name: value})
    return f"{path}?{query.format(**world)}" if query else path
