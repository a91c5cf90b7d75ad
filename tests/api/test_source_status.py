"""Each source in the API with its check status (articles.checks) and the rating
that applies to it (articles.reliability), read in the sources' own query."""

import json
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.checks.models import SourceStatus
from articles.reliability.models import Rating
from tests.factories import make_article, make_source

pytestmark = pytest.mark.django_db

SINCE = datetime(2026, 11, 1, 8, 30, tzinfo=UTC)
CHECKED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def rate(level: str, *, domain=None, source=None) -> Rating:
    return Rating.objects.create(
        domain=domain, source=source, level=level, reason=f"Why {level}.",
        link="https://example.org/decided",
    )  # fmt: skip


def make_library(prefix: str, n: int) -> None:
    """`n` sources: checked (dead, live with a quotation), rated by domain or their own."""
    for i in range(n):
        source = make_source(
            f"{prefix}{i}", url=f"https://www.{prefix}{i % 2}.org/{i}", quote="Q" * (i % 2)
        )
        SourceStatus.objects.create(
            source=source, link="dead" if i % 2 else "live", failing_since=SINCE if i % 2 else None,
            checked_at=CHECKED, quote="verified" if i % 2 else "", quote_checked="Q" * (i % 2),
        )  # fmt: skip
        if i % 3 == 0:
            rate("marginal", source=source)
    rate("unreliable", domain=f"{prefix}1.org")


def sources(url: str = "/api/v1/sources/?limit=100") -> dict[str, dict]:
    response = Client().get(url)
    assert response.status_code == 200
    return {source["key"]: source for source in json.loads(response.content)["results"]}


def test_a_source_gives_its_check_status_and_its_rating():
    make_library("s", 4)
    make_source("plain")
    answer = sources()
    assert answer["plain"]["check"] == {
        "link": "unchecked", "dead_since": None, "last_checked": None, "quote": None,
    }  # fmt: skip
    assert answer["plain"]["rating"] is None
    assert answer["s1"]["check"] == {
        "link": "dead", "dead_since": "2026-11-01T08:30:00Z",
        "last_checked": "2026-12-01T09:00:00Z", "quote": "verified",
    }  # fmt: skip
    assert answer["s0"]["check"]["link"] == "live" and answer["s0"]["check"]["quote"] is None
    assert answer["s0"]["rating"] == {
        "level": "marginal", "reason": "Why marginal.", "link": "https://example.org/decided",
        "scope": "source", "domain": None,
    }  # fmt: skip
    assert answer["s1"]["rating"]["scope"] == "domain"
    assert answer["s1"]["rating"]["domain"] == "s1.org"
    assert answer["s3"]["rating"]["scope"] == "source"  # its own overrides its domain's
    assert answer["s2"]["rating"] is None


def test_an_edited_quotation_is_unchecked_as_on_the_page():
    make_library("s", 2)
    from articles.models import Source

    source = Source.objects.get(key="s1")
    source.quote = "Something else."
    source.save()
    assert sources()["s1"]["check"]["quote"] == "unchecked"


def test_the_article_references_carry_the_same_status_and_rating():
    make_library("s", 4)
    make_article(lead="Text [@s0; @s1; @s2].")
    answer = json.loads(Client().get("/api/v1/articles/water/").content)
    listed = {ref["key"]: ref["source"] for ref in answer["references"]}
    library = sources()
    for key in ("s0", "s1", "s2"):
        assert listed[key]["check"] == library[key]["check"]
        assert listed[key]["rating"] == library[key]["rating"]


def queries(url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert Client().get(url).status_code == 200
    return len(captured)


def test_status_and_rating_take_no_query_per_source():
    make_library("a", 2)
    make_article(lead="Text [@a0; @a1].")
    few = queries("/api/v1/sources/?limit=100"), queries("/api/v1/articles/water/?x=1")
    make_library("b", 12)
    make_article(slug="more", lead="Text " + " ".join(f"[@b{i}]" for i in range(12)) + ".")
    many = queries("/api/v1/sources/?limit=100"), queries("/api/v1/articles/more/?x=1")
    assert few == many
    assert len(sources()) == 14 and sum(s["rating"] is not None for s in sources().values()) == 10


def test_the_schema_documents_check_and_rating():
    schema = json.loads(Client().get("/api/schema/").content)["components"]["schemas"]
    source = schema["Source"]["properties"]
    assert {"check", "rating"} <= set(source)
    check = schema["SourceCheck"]["properties"]
    assert set(check) == {"link", "dead_since", "last_checked", "quote"}
    assert set(schema["Rating"]["properties"]) == {"level", "reason", "link", "scope", "domain"}
