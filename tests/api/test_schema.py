"""Property-based tests against the published schema (schemathesis): no 500s, and
every answer, errors included, is what /api/schema/ says it is.

Bounded and deterministic (derandomized Hypothesis, no example database), on the
seed article with two revisions, so that examples reach real articles.
"""

import base64
import json
from urllib.parse import urlencode

import pytest
import reversion
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reversion.models import Version

from articles.api.pagination import CURSOR_FORMAT
from articles.ids import MAX_ID

pytestmark = pytest.mark.django_db

PATHS = [
    "/api/v1/articles/",
    "/api/v1/articles/{slug}/",
    "/api/v1/articles/{slug}/revisions/",
    "/api/v1/articles/{slug}/revisions/{revision_id}/",
    "/api/v1/articles/{slug}/diff/",
    "/api/v1/articles/{slug}/sections/{anchor}/history/",
    "/api/v1/sources/",
    "/api/v1/debates/",
    "/api/v1/search/",
    "/api/v1/recent/",
]


def cursors() -> st.SearchStrategy[str]:
    """Cursors as REST framework writes them into `next` and `previous` links (any
    offset, either direction, a position that is an id or a slug): the schema's
    valid data. Junk cursors are tested in test_views (400)."""
    tokens = st.fixed_dictionaries(
        {"o": st.integers(0, 1000), "p": st.integers(1, MAX_ID).map(str)},
        optional={"r": st.just("1")},
    )
    return tokens.map(lambda t: base64.b64encode(urlencode(t).encode()).decode())


schemathesis.openapi.format(CURSOR_FORMAT, cursors())


@pytest.fixture
def test_connection_kept():
    """Requests through the plain WSGI app keep the test's connection open, as Django's
    test client does (else each would close it, in the test's transaction)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def api_schema(miit, settings, test_connection_kept):
    settings.API_ANONYMOUS_RATE = "100000/minute"  # examples are not abuse
    with reversion.create_revision():
        miit.save()
    return schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


# schemathesis's own pytest plugin does not run under pytest 9 (it sets `_nodeid`),
# so each operation's cases are drawn here with Hypothesis directly.
@pytest.mark.parametrize("path", PATHS)
def test_every_answer_matches_the_schema(api_schema, path):
    @given(case=api_schema[path]["GET"].as_strategy())
    @settings(
        max_examples=25,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def answer_matches(case):
        # Its WSGI client asks for gzip but cannot read it; stored answers honour asking.
        case.call_and_validate(headers={"Accept-Encoding": "identity"})

    answer_matches()


@pytest.mark.parametrize(
    ("path", "parameters"),
    [
        ("/api/v1/articles/{slug}/", {"path_parameters": {"slug": "miit"}}),
        ("/api/v1/articles/{slug}/revisions/", {"path_parameters": {"slug": "miit"}}),
        ("/api/v1/sources/", {"query": {"limit": 2}}),
        ("/api/v1/search/", {"query": {"q": "ministry"}}),
        ("/api/v1/recent/", {"query": {"since": "2000-01-01"}}),
    ],
)
def test_answers_about_the_seed_match_the_schema(api_schema, path, parameters):
    """Generated slugs rarely name an article; these answers hold every kind of field."""
    case = api_schema[path]["GET"].Case(**parameters)
    response = case.call_and_validate(headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200


def test_revisions_their_diff_and_a_section_history_match_the_schema(api_schema, miit):
    first, second = Version.objects.get_for_object(miit).order_by("revision_id")
    anchor = miit.sections.first().anchor
    cases = [
        ("/api/v1/articles/{slug}/revisions/{revision_id}/", {"revision_id": first.revision_id}),
        ("/api/v1/articles/{slug}/diff/", {}),
        ("/api/v1/articles/{slug}/sections/{anchor}/history/", {"anchor": anchor}),
    ]
    for path, parameters in cases:
        case = api_schema[path]["GET"].Case(
            path_parameters={"slug": "miit", **parameters},
            query={"from": first.revision_id, "to": second.revision_id} if "diff" in path else {},
        )
        assert case.call_and_validate(headers={"Accept-Encoding": "identity"}).status_code == 200


def test_schema_documents_every_endpoint_and_its_errors(db):
    document = json.loads(Client().get("/api/schema/").content)
    assert set(document["paths"]) == set(PATHS)
    for path in document["paths"].values():
        assert {"200", "400", "401", "404", "429"} <= set(path["get"]["responses"])
