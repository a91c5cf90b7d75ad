"""The seed fixture: real sources, the seed text word for word, debates on both sides."""

import json
import re
from html import unescape
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.citations import find_citation_keys
from articles.models import Argument, Article, Debate, Section, Source
from tests.test_import_article import SEED

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "miit.json"


def visible_text(html: str) -> str:
    """Page text with citation markers removed and white space folded."""
    html = re.sub(r"<sup class=\"citation[^\"]*\".*?</sup>", "", html, flags=re.S)
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    return " ".join(text.split())


def seed_paragraphs() -> list[str]:
    lines = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    headings = {"MiitEdit", "History and mandate", "Economic and industrial policy",
                "Regulation, standards, and control", "Global role and impact"}  # fmt: skip
    return [line for line in lines if line not in headings]


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Article, Section, Source, Debate, Argument))


@pytest.mark.django_db
def test_fixture_loads_on_empty_database_and_twice_changes_nothing(seed):
    first = counts()
    snapshot = json.dumps(
        [list(m.objects.order_by("pk").values()) for m in (Section, Argument)], default=str
    )
    call_command("loaddata", "miit", verbosity=0)
    assert counts() == first
    assert first[0] == 1 and first[1] == 4 and first[2] >= 8 and first[3] >= 2
    again = json.dumps(
        [list(m.objects.order_by("pk").values()) for m in (Section, Argument)], default=str
    )
    assert again == snapshot


def test_every_seed_paragraph_appears_word_for_word(client, seed):
    response = client.get("/wiki/miit/")
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    paragraphs = seed_paragraphs()
    assert len(paragraphs) == 7
    for paragraph in paragraphs:
        assert paragraph in text


def test_page_shows_the_seed_sections_as_anchored_sections(client, seed):
    html = client.get("/wiki/miit/").content.decode()
    for anchor in ["history-and-mandate", "economic-and-industrial-policy",
                   "regulation-standards-and-control", "global-role-and-impact"]:  # fmt: skip
        assert f'<section id="{anchor}"' in html
        assert f'href="#{anchor}"' in html  # table of contents


def test_every_citation_resolves_to_a_reference(client, seed):
    html = client.get("/wiki/miit/").content.decode()
    cited = set(re.findall(r'<a href="#ref-([\w-]+)" id="cite-', html))
    listed = set(re.findall(r'<li id="ref-([\w-]+)"', html))
    assert len(cited) >= 8
    assert cited == listed
    assert "citation-missing" not in html
    for key, index in re.findall(r'id="cite-([\w-]+)-(\d+)"', html):
        assert f'href="#cite-{key}-{index}"' in html  # back-link from the reference


def test_every_key_in_the_fixture_is_a_real_source_entry(seed):
    texts = [seed.lead, *Section.objects.values_list("body", flat=True)]
    texts += Argument.objects.values_list("body", flat=True)
    keys = {key for text in texts for key in find_citation_keys(text)}
    assert keys == set(Source.objects.values_list("key", flat=True))
    for source in Source.objects.all():
        assert source.title and source.publisher
        source.full_clean()  # http(s) URLs, partial dates


def test_both_sides_of_each_debate_are_shown(client, seed):
    html = client.get("/wiki/miit/").content.decode()
    debates = Debate.objects.filter(article=seed)
    assert debates.count() >= 2
    for debate in debates:
        sides = set(debate.arguments.values_list("side", flat=True))
        assert sides == {"supporter", "critic"}
        block = html.split(f'id="debate-{debate.slug}"', 1)[1].split("</aside>", 1)[0]
        for side in ("supporter", "critic"):
            column = block.split(f'data-side="{side}"', 1)[1].split("</section>", 1)[0]
            for summary in debate.arguments.filter(side=side).values_list("summary", flat=True):
                assert unescape(summary) in unescape(column)
    assert Argument.objects.filter(responds_to__isnull=False).exists()


def test_arguments_name_who_holds_them_and_cite_sources(seed):
    for argument in Argument.objects.all():
        assert argument.attributed_to.strip()
        assert find_citation_keys(argument.body), argument.slug


def test_fixture_file_is_valid_json_with_natural_keys_only():
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert all("pk" not in item for item in data)
