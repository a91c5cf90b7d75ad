"""Broken fixture files: `loaddata` names the problem and loads nothing at all.

The tests run outside a test transaction (transactional tests), so the only
transaction is loaddata's own: what they prove is what an operator gets.
"""

import json

import pytest
from django.core.management import CommandError, call_command
from django.core.serializers.base import DeserializationError
from django.db import IntegrityError

from articles.models import Article, Section, Source

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SOURCES = [
    {"model": "articles.source", "fields": {"key": "a", "title": "A"}},
    {"model": "articles.source", "fields": {"key": "b", "title": "B"}},
]
WHEN = "2024-01-01T00:00:00Z"
ARTICLE = {
    "model": "articles.article",
    "fields": {"slug": "w", "title": "W", "lead": "x", "created_at": WHEN, "updated_at": WHEN},
}


def section(**fields) -> dict:
    return {
        "model": "articles.section",
        "fields": {"article": ["w"], "heading": "H", "anchor": "h", "level": 2, **fields},
    }


def write(tmp_path, name: str, objects) -> str:
    path = tmp_path / name
    path.write_text(objects if isinstance(objects, str) else json.dumps(objects), "utf-8")
    return str(path)


def nothing_loaded() -> bool:
    return not (Source.objects.exists() or Article.objects.exists() or Section.objects.exists())


@pytest.mark.parametrize(
    ("objects", "error", "message"),
    [
        (json.dumps(SOURCES)[:-20], DeserializationError, r"broken\.json': Expecting .* line 1"),
        ([*SOURCES, ARTICLE, section(article=["no-such-article"])], DeserializationError,
         r"Section has no article"),
        ([*SOURCES, ARTICLE, section(level="high")], DeserializationError,
         r"“high” value must be an integer.*articles\.section"),
        ([*SOURCES, ARTICLE, section(level=9)], IntegrityError, r"section_level_2_to_4"),
        ([*SOURCES[:1], {**SOURCES[1], "fields": {"key": "b", "title": "B", "accessed": "May"}}],
         DeserializationError, r"“May” value has an invalid date format"),
        ([*SOURCES, {"model": "articles.nothing", "fields": {}}], DeserializationError,
         r"Invalid model identifier: articles\.nothing"),
    ],
    ids=["broken-json", "unknown-natural-key", "invalid-value", "check-constraint",
         "invalid-date", "unknown-model"],
)  # fmt: skip
def test_a_broken_fixture_names_the_problem_and_loads_nothing(tmp_path, objects, error, message):
    path = write(tmp_path, "broken.json", objects)
    with pytest.raises(CommandError, match=message) as raised:
        call_command("loaddata", path, verbosity=0)
    assert isinstance(raised.value.__cause__, error)
    assert str(raised.value).endswith("Nothing was loaded.")
    assert nothing_loaded()


def test_one_call_with_several_files_is_one_transaction(tmp_path):
    good = write(tmp_path, "good.json", [*SOURCES, ARTICLE, section()])
    bad = write(tmp_path, "bad.json", [section(article=["no-such-article"], anchor="x")])
    with pytest.raises(CommandError, match="bad.json"):
        call_command("loaddata", good, bad, verbosity=0)
    assert nothing_loaded()
    call_command("loaddata", good, verbosity=0)
    assert Section.objects.get().article.slug == "w"


def test_loading_the_same_fixture_twice_changes_nothing(tmp_path):
    good = write(tmp_path, "good.json", [*SOURCES, ARTICLE, section()])
    call_command("loaddata", good, verbosity=0)
    call_command("loaddata", good, verbosity=0)
    assert (Source.objects.count(), Section.objects.count()) == (2, 1)
