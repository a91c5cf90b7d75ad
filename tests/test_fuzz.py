"""Junk in every URL and form of the URL table, sent by every kind of user: never a
server error, and a form that refuses a save shows the text typed into it again.

How it works, and how a new URL or form joins: docs/reliability.md, "The fuzz suite".
"""

import copy
import logging
import os
import traceback
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote_plus, urlsplit

import pytest
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from articles.models import Source
from tests.fuzzing import (
    DOOR_JUNK,
    FILE_JUNK,
    LINKED_JUNK,
    MARKER,
    PATH_JUNK,
    TYPED_JUNK,
    Form,
    Page,
    Pairs,
    changelist_names,
    encode,
    field_junk,
    junk_values,
    own_forms,
    path_names,
    query_names,
    query_pairs,
    targets,
    view_form,
    with_junk,
    with_path_junk,
)
from tests.test_permissions import clients
from tests.url_table import ROLES, ROWS, Row
from tests.world import build_world

pytestmark = [
    pytest.mark.django_db,
    # Junk URLs make long cache keys, a problem for memcached only (the site uses Redis).
    pytest.mark.filterwarnings("ignore::django.core.cache.backends.base.CacheKeyWarning"),
]
DRAWN = 4  # values Hypothesis draws for each row, beyond the fixed lists
SHOWN_AGAIN = {200, 400, 409}  # statuses of a form refused with its errors
# The largest page a junk value may make: more means it multiplied the work (a
# form count of 2**63 rendering thousands of empty rows), a cheap denial of service.
MAX_BYTES = 1_000_000
ABSENCES = {"missing", "repeated"}
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Failure:
    role: str
    request: str
    status: int
    error: str
    message: str = ""


def error_of(response) -> tuple[str, str]:
    """The exception behind a server error, where it was raised (and the innermost
    frame of the project's own code, if another), and its message."""
    if not response.exc_info:
        return f"status {response.status_code}, no exception", ""
    kind, error, trace = response.exc_info
    frames = [
        f"{os.path.relpath(frame.filename, ROOT)}:{frame.lineno}"
        for frame in traceback.extract_tb(trace)
    ]
    ours = [frame for frame in frames if not frame.startswith((".", "/"))]
    where = frames[-1] if not ours or ours[-1] == frames[-1] else f"{frames[-1]} via {ours[-1]}"
    return f"{kind.__name__} at {where}", str(error).strip()[:100]


def shown_without_marker(html: str, textareas: list[str]) -> bool:
    """The form is on the page again (one of its textareas is), the marker is not."""
    return MARKER not in html and any(f'name="{name}"' in html for name in textareas)


def refused_at_the_door(response) -> bool:
    """Refused before the view read anything: forbidden, missing, or sent to log in."""
    if response.status_code in {403, 404, 405}:
        return True
    login = {resolve_url("admin:login"), resolve_url(settings.LOGIN_URL)}
    return response.status_code == 302 and urlsplit(response["Location"]).path in login


class Sender:
    """One user's requests, each undone afterwards (its writes and its cookies) so
    that every junk value meets the same world. Failures are noted, not raised, so
    that one run names them all."""

    def __init__(self, role: str, client: Client, failures: list[Failure]):
        self.role, self.client, self.failures = role, client, failures
        client.raise_request_exception = False

    def send(self, method: str, url: str, what: str, pairs: Pairs = (), files=None, kept=()):
        cookies = copy.deepcopy(self.client.cookies)
        with transaction.atomic():
            if files:
                response = self.client.post(url, files)
            else:
                response = self.client.generic(
                    method, url, encode(pairs), content_type="application/x-www-form-urlencoded"
                )
            transaction.set_rollback(True)
        self.client.cookies = cookies
        html = response.content.decode(errors="replace")
        status = response.status_code
        if len(response.content) > MAX_BYTES:
            self.note(what, status, f"junk made a page of {len(response.content) / 1e6:.1f} MB")
        if status >= 500:
            self.note(what, status, *error_of(response))
        elif status in SHOWN_AGAIN and shown_without_marker(html, kept):
            self.note(what, status, "a refused form was shown again without the text typed")
        return response

    def note(self, what: str, status: int, error: str, message: str = "") -> None:
        self.failures.append(Failure(self.role, what, status, error, message))


@dataclass
class Slot:
    """One place for junk (a path placeholder, a query parameter, a form field) and
    the junk it gets: `send(sender, label, value)` sends one value there."""

    junk: dict
    send: Callable[[Sender, str, str], object]
    door: bool = False  # also sent the door's junk by users refused at the door


def row_body(row: Row) -> Pairs:
    return [(name, quote_plus(str(value))) for name, value in row.data.items()]


def parameters(pages: list[Page], answers: list, url: str) -> dict[str, dict]:
    """The query parameters the row's page reads (as any user saw it), with their junk."""
    linked, typed = set(), set()
    for page, answer in zip(pages, answers, strict=True):
        page_linked, page_typed = query_names(page, url)
        linked |= page_linked | changelist_names(answer)
        typed |= page_typed
    return dict.fromkeys(sorted(linked - typed), LINKED_JUNK) | dict.fromkeys(
        sorted(typed), TYPED_JUNK
    )


def url_slots(row: Row, world: dict, names: dict[str, dict]) -> list[Slot]:
    """Each placeholder of the row's path and each query parameter of its page
    (`names`: the junk for each)."""
    url = row.url.format(**world)
    path, query, body = urlsplit(url).path, query_pairs(url), row_body(row)
    slots = []
    for name in path_names(row.url):

        def send(sender, label, value, name=name):
            what = f"{row.method} {row.url} {{{name}}}={label}"
            sender.send(row.method, with_path_junk(row.url, world, name, value), what, body)

        slots.append(Slot(PATH_JUNK, send, door=True))
    for name, junk in names.items():

        def send(sender, label, value, name=name):
            what = f"{row.method} {row.url} ?{name}={label}"
            sender.send(row.method, f"{path}?{encode(with_junk(query, name, value))}", what, body)

        if name not in dict(query):  # leaving it out or repeating it says nothing new
            junk = {label: value for label, value in junk.items() if label not in ABSENCES}
        slots.append(Slot(junk, send))
    if names:

        def send(sender, label, value):
            url = f"{path}?{encode([(name, value) for name in names])}"
            sender.send(row.method, url, f"{row.method} {row.url} ?(every parameter)={label}", body)

        slots.append(Slot({}, send, door=True))
    return slots


def form_slots(form: Form, light: bool) -> list[Slot]:
    """Each field of a form, the others as they were typed. `light`: the same fields
    were posted in full to another view, so each gets one value, in turn."""
    slots = []
    for index, name in enumerate(targets(form)):
        kept = [textarea for textarea in form.textareas if textarea != name]

        def send(sender, label, value, name=name, kept=kept):
            what = f"POST {form.action} {name}={label}"
            sender.send("POST", form.action, what, with_junk(form.pairs, name, value), kept=kept)

        junk = field_junk(dict(form.pairs).get(name, ""))
        if light:
            label = list(junk)[index % len(junk)]
            junk = {label: junk[label]}
        slots.append(Slot(junk, send))
    return slots


def file_slots(url: str, form: forms.Form) -> list[Slot]:
    """The file fields of a view's form (the image upload), each sent every junk file."""
    slots = []
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):

            def send(sender, label, value, name=name):
                filename, content, kind = value
                upload = {name: SimpleUploadedFile(filename, content, kind)}
                sender.send("POST", url, f"POST {url} {name}={label}", files=upload)

            slots.append(Slot(FILE_JUNK, send))
    return slots


def page_forms(pages: list[Page], url: str, posted: list[set[str]]) -> list[Slot]:
    """The forms the row's page shows (to any user) that post back to it. A form whose
    fields are among those of a form posted in full before (the change form again, on
    django-reversion's history and recover pages) gets one value per field."""
    slots = []
    for page in pages:
        for form in own_forms(page, url):
            names = set(targets(form))
            if names in posted:  # another user's copy of the same form
                continue
            light = any(names <= done for done in posted)
            slots += form_slots(form, light)
            posted.append(names)
    return slots


def drawn(slots: list[Slot], senders: list) -> None:
    """Values Hypothesis draws: a fixed sequence (derandomized) of bounded length, each
    sent to a slot it picks. Nothing is raised inside, so nothing is shrunk: failures
    are noted like the others'."""

    @hypothesis_settings(
        max_examples=DRAWN,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(st.sampled_from(slots), st.sampled_from(senders), junk_values())
    def send(slot, sender, value):
        slot.send(sender, f"drawn {value[:40]!r}", value)

    send()


def report(failures: list[Failure]) -> str:
    """The failures by exception and place, each with its first message."""
    by_error = defaultdict(list)
    for failure in failures:
        by_error[failure.error].append(failure)
    lines = [f"{len(failures)} failures, {len(by_error)} distinct:"]
    for error, group in by_error.items():
        lines.append(f"{error}: {group[0].message!r}" if group[0].message else error)
        lines += [f"  {f.role}: {f.request} -> {f.status}" for f in group]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def posted() -> list[set[str]]:
    """The field names of each form posted so far, in the URL table's order."""
    return []


@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row.method} {row.url}")
def test_junk_in_urls_and_forms_never_gives_a_server_error(
    row: Row, posted, settings, tmp_path, caplog
):
    """Every junk value goes once to each slot, sent by the users the URL serves in
    turn; users it refuses at the door are sent the junk that could break the door."""
    settings.MEDIA_ROOT = tmp_path  # where an upload that passes goes
    caplog.set_level(logging.CRITICAL, logger="django")  # thousands of 404s and 403s
    world = build_world()
    # A dated source, so that the sources' year filter has a choice to offer (and read).
    Source.objects.filter(key=world["key"]).update(date="2020-05-01")
    failures: list[Failure] = []
    users = clients()
    assert sorted(users) == sorted(ROLES)
    senders = [Sender(role, client, failures) for role, client in users.items()]
    url = row.url.format(**world)
    body = row_body(row)
    answers = [sender.send(row.method, url, f"{row.method} {row.url}", body) for sender in senders]
    refused = [refused_at_the_door(answer) for answer in answers]
    served = [sender for sender, no in zip(senders, refused, strict=True) if not no]
    pages = [Page(answer.content.decode(errors="replace")) for answer in answers]
    slots = url_slots(row, world, parameters(pages, answers, url))
    for sender in [sender for sender in senders if sender not in served]:
        # The door reads the path, and the query string whole (the login page's ?next=).
        for slot in [slot for slot in slots if slot.door]:
            for label, value in DOOR_JUNK.items():
                slot.send(sender, label, value)
    if row.method == "GET":
        slots += page_forms(pages, url, posted)
    else:
        slots += form_slots(Form("POST", url, body), light=False)
    files = file_slots(url, view_form(url) or forms.Form()) if row.method == "POST" else []
    jobs = [(slot, label, value) for slot in slots + files for label, value in slot.junk.items()]
    for index, (slot, label, value) in enumerate(jobs if served else []):
        slot.send(served[index % len(served)], label, value)
    if served and slots:
        drawn(slots, served)
    if failures:
        pytest.fail(report(failures), pytrace=False)
