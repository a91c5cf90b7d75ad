"""Article and debate pages describe themselves as schema.org JSON-LD; the tests expand
it with pyld against a small local schema.org context (pyld never goes online)."""

import json
import re

import pytest
from django.test import Client
from pyld import jsonld

from articles.models import Source
from articles.rendering import render_json_ld
from tests.factories import make_article

pytestmark = pytest.mark.django_db

SCHEMA = "https://schema.org/"
# The part of schema.org's context these pages use: terms in its vocabulary,
# and the properties whose values are links.
LOCAL_CONTEXT = {
    "@context": {
        "@vocab": SCHEMA,
        "url": {"@id": f"{SCHEMA}url", "@type": "@id"},
        "license": {"@id": f"{SCHEMA}license", "@type": "@id"},
    }
}
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def offline_loader(url, options=None):
    """pyld's document loader: schema.org's context from here, nothing from the network."""
    if url.rstrip("/") != SCHEMA.rstrip("/"):
        raise AssertionError(f"pyld tried to fetch {url}")
    return {"contextUrl": None, "documentUrl": url, "document": LOCAL_CONTEXT}


def expanded(url: str) -> dict:
    """The one JSON-LD object of a page, expanded to full IRIs."""
    scripts = SCRIPT.findall(Client().get(url).content.decode())
    assert len(scripts) == 1
    [node] = jsonld.expand(json.loads(scripts[0]), {"documentLoader": offline_loader})
    return node


def values(node: dict, term: str) -> list:
    return [item.get("@value", item.get("@id")) for item in node.get(SCHEMA + term, [])]


def test_article_page_describes_an_article_citing_its_sources(seed):
    node = expanded("/wiki/miit/")
    assert node["@type"] == [SCHEMA + "Article"]
    assert values(node, "headline") == ["Miit"]
    assert values(node, "inLanguage") == ["en"]
    assert values(node, "license") == ["https://creativecommons.org/licenses/by-sa/4.0/"]
    assert values(node, "url") == ["http://testserver/wiki/miit/"]
    assert values(node, "dateModified") == [seed.updated_at.isoformat().replace("+00:00", "Z")]
    [publisher] = node[SCHEMA + "publisher"]
    assert values(publisher, "name") == ["MiitWiki"]
    cited = {values(work, "name")[0]: values(work, "url") for work in node[SCHEMA + "citation"]}
    api_references = json.loads(Client().get("/api/v1/articles/miit/").content)["references"]
    assert list(cited) == [reference["source"]["title"] for reference in api_references]
    for title, urls in cited.items():
        assert urls == [url for url in [Source.objects.get(title=title).url] if url]


def test_debate_page_describes_the_question_and_its_arguments(seed):
    debate = seed.debates.prefetch_related("arguments").first()
    node = expanded(debate.get_absolute_url())
    assert node["@type"] == [SCHEMA + "Question"]
    assert values(node, "name") == [debate.question]
    answers = node[SCHEMA + "suggestedAnswer"]
    arguments = {argument.summary: argument for argument in debate.arguments.all()}
    assert sorted(values(answer, "name")[0] for answer in answers) == sorted(arguments)
    for answer in answers:
        argument = arguments[values(answer, "name")[0]]
        [side] = answer[SCHEMA + "additionalProperty"]
        assert values(side, "value") == [argument.side]
        [author] = answer[SCHEMA + "author"]
        assert values(author, "name") == [argument.attributed_to]
        rebutted = [parent["@id"] for parent in answer.get(SCHEMA + "parentItem", [])]
        expected = argument.responds_to.get_absolute_url() if argument.responds_to else None
        assert rebutted == ([f"http://testserver{expected}"] if expected else [])


def test_no_text_can_close_the_script_element():
    script = render_json_ld({"headline": "</script><script>alert(1)</script> & <!--"})
    assert script.count("</script>") == 1 and "<!--" not in script
    assert json.loads(SCRIPT.match(script).group(1)) == {
        "headline": "</script><script>alert(1)</script> & <!--"
    }


def test_an_imported_text_states_its_own_licence_and_origin(db):
    article = make_article(
        lead="Imported.",
        license="CC BY-SA 3.0",
        source_url="https://en.wikipedia.org/wiki/Water",
        attribution="Wikipedia contributors",
    )
    [script] = SCRIPT.findall(Client().get(article.get_absolute_url()).content.decode())
    data = json.loads(script)
    assert data["license"] == "CC BY-SA 3.0"
    assert data["isBasedOn"] == "https://en.wikipedia.org/wiki/Water"
    assert data["creditText"] == "Wikipedia contributors"
    api = json.loads(Client().get("/api/v1/articles/water/").content)
    assert (api["license"], api["source_url"]) == ("CC BY-SA 3.0", data["isBasedOn"])
