"""Claim-level support: a citation quoting the passage of its source that supports
the sentence (`[@key, p. 3: "passage"]`), shown beside the citation and under its
reference, checked in the admin and listed for a quote verifier."""

import re

import pytest

from articles.citations import (
    MAX_PASSAGE,
    CitedItem,
    citation_problems,
    find_citation_keys,
    find_passages,
    format_item,
    parse_bracket,
)
from articles.claims.passages import cited_passages
from articles.interchange.references import rename_citations
from tests.editing import article_form, make_editor
from tests.factories import make_argument, make_article, make_debate, make_section, make_source
from tests.html_safety import unsafe_parts

PASSAGE = 'Claim.[@un, p. 3: "Water use grew sixfold; it still grows."]'


def test_a_bracket_reads_a_passage_with_or_without_a_locator():
    assert parse_bracket('[@a, p. 3: "the words"]') == [CitedItem("a", "p. 3", "the words")]
    assert parse_bracket('[@a: "the words"]') == [CitedItem("a", "", "the words")]
    assert parse_bracket("[@a: “curly  quotes\n folded”]") == [
        CitedItem("a", "", "curly quotes folded")
    ]
    # A semicolon inside a passage is text, not the start of another item.
    assert parse_bracket('[@a: "x; y"; @b, ch. 2]') == [
        CitedItem("a", "", "x; y"),
        CitedItem("b", "ch. 2"),
    ]


def test_old_citations_read_as_before():
    assert parse_bracket("[@a, p. 12]") == [CitedItem("a", "p. 12")]
    assert parse_bracket('[@a, section "Intro"]') == [CitedItem("a", 'section "Intro"')]
    for text in ["[@a;]", '[@a: "unclosed]', "[@a: no quotes]"]:
        assert parse_bracket(text) is None, text


def test_find_passages_lists_only_items_with_passages_and_keys_are_unchanged():
    text = 'One [@a, p. 2: "first"]. Two [@b; @a: "second"].'
    assert find_passages(text) == [CitedItem("a", "p. 2", "first"), CitedItem("a", "", "second")]
    assert find_citation_keys(text) == ["a", "b", "a"]


def test_format_item_writes_back_what_parse_reads():
    for item in [CitedItem("a"), CitedItem("a", "p. 3", "x; y"), CitedItem("a", "", 'say "hi"')]:
        assert parse_bracket(f"[{format_item(item)}]") == [item]


def test_renaming_keys_keeps_passages():
    renamed = rename_citations('See [@old, p. 3: "kept words"].', {"old": "new"})
    assert renamed == 'See [@new, p. 3: "kept words"].'


def test_problems_name_a_malformed_passage_and_an_overlong_one():
    assert citation_problems('[@a, p. 3: "fine"] [@a]') == []
    [problem] = citation_problems('Broken [@a: "no end].')
    assert '[@a: "no end]' in problem and "not citation syntax" in problem
    [problem] = citation_problems(f'[@a: "{"w" * (MAX_PASSAGE + 1)}"]')
    assert "@a" in problem and f"{MAX_PASSAGE:,}" in problem


def test_the_page_shows_the_passage_beside_the_citation_and_under_its_reference(client, db):
    make_source("un", title="World Water Report")
    make_article(lead=PASSAGE + " Again [@un].")
    html = client.get("/wiki/water/").content.decode()
    # The citation keeps its markup and names the passage as its description.
    assert '<a href="#ref-un" id="cite-un-1" aria-describedby="support-cite-un-1">[1]</a>' in html
    tooltip = re.search(
        r'<span class="citation-support" role="tooltip" id="support-cite-un-1">(.*?)</span>', html
    )
    assert tooltip and tooltip[1] == "“Water use grew sixfold; it still grows.” (p. 3)"
    assert '<a href="#ref-un" id="cite-un-2">[1]</a>' in html  # no passage, no description
    reference = html.split('<li id="ref-un"', 1)[1].split("</li>\n  \n</ol>", 1)[0]
    assert '<ul class="support-passages"' in reference
    assert "<q>Water use grew sixfold; it still grows.</q> (p. 3)" in reference
    assert (
        '<a href="#cite-un-1" aria-label="Back to the citation this passage supports">' in reference
    )


def test_a_hostile_passage_is_text(client, db):
    make_source("un")
    make_article(lead='Claim [@un: "<script>alert(1)</script><img src=x onerror=alert(1)>"].')
    html = client.get("/wiki/water/").content.decode()
    tooltip = html.split('<span class="citation-support"', 1)[1].split("</span>", 1)[0]
    assert unsafe_parts(tooltip) == [] and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in tooltip


def test_the_admin_refuses_a_malformed_passage_and_still_names_unknown_keys(client, db):
    make_source("un")
    article = make_article()
    client.force_login(make_editor())
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/",
        article_form(article, lead='Claim [@un: "unclosed]. Other [@ghost].'),
    )
    assert response.status_code == 200  # the form again, with the text kept
    html = response.content.decode()
    assert "Unknown source key" in html and "ghost" in html
    assert "is not citation syntax" in html
    assert "Claim [@un: &quot;unclosed]" in html
    article.refresh_from_db()
    assert article.lead == ""


def test_the_admin_saves_a_well_formed_passage(client, db):
    make_source("un")
    article = make_article()
    client.force_login(make_editor())
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/", article_form(article, lead=PASSAGE)
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.lead == PASSAGE


def test_cited_passages_lists_every_quoted_passage_with_its_place(db, django_assert_num_queries):
    make_source("un")
    make_source("wb")
    article = make_article(lead=PASSAGE)
    section = make_section(article, body='Body [@wb, ch. 2: "dams store water"] and [@un].')
    argument = make_argument(make_debate(article), body='[@un: "an argument\'s passage"]')
    draft = make_article(slug="draft", status="draft", lead='[@wb: "drafts count too"]')
    with django_assert_num_queries(3):
        found = cited_passages()
    assert [(p.place.article, p.key, p.locator, p.passage) for p in found] == [
        (article, "un", "p. 3", "Water use grew sixfold; it still grows."),
        (article, "wb", "ch. 2", "dams store water"),
        (article, "un", "", "an argument's passage"),
        (draft, "wb", "", "drafts count too"),
    ]
    assert found[1].place.section == section and found[2].place.argument == argument
    assert [p.passage for p in cited_passages(key="wb")] == ["dams store water", "drafts count too"]


@pytest.mark.parametrize("text", ['[@un: "x"]', '[@un, p. 3: "x"]'])
def test_preview_shows_the_passage(db, editor_client, text):
    make_source("un")
    html = editor_client.post("/editor/preview/", {"content": f"Claim {text}"}).content.decode()
    assert '<span class="citation-support" role="tooltip" id="support-cite-un-1">“x”' in html
