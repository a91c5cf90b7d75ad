import re

import pytest

from articles.citations import CitationState
from articles.rendering import outline_numbers, render_markdown
from tests.html_safety import HOSTILE, unsafe_parts

SOURCES = {"a": "Source A", "b": "Source B", "c": "Source C"}


def render(text: str, state: CitationState | None = None) -> str:
    return str(render_markdown(text, state or CitationState(dict(SOURCES))))


def citation_numbers(html: str) -> list[str]:
    return re.findall(
        r'<sup class="citation"><a href="#ref-(\w+)" id="cite-\w+-\d+">\[(\d+)\]', html
    )


def test_citation_markup_matches_the_contract():
    html = render("Water is wet [@a].")
    assert '<sup class="citation"><a href="#ref-a" id="cite-a-1">[1]</a></sup>' in html


def test_numbers_by_first_use_and_reuse_keeps_number():
    html = render("X [@b]. Y [@a]. Z [@b].")
    assert citation_numbers(html) == [("b", "1"), ("a", "2"), ("b", "1")]
    assert 'id="cite-b-2"' in html


def test_numbering_is_shared_across_fields_of_one_article():
    state = CitationState(dict(SOURCES))
    render("Lead [@c].", state)
    html = render("Body [@a] [@c].", state)
    assert citation_numbers(html) == [("a", "2"), ("c", "1")]
    assert 'id="cite-c-2"' in html


def test_several_keys_in_one_bracket_each_get_a_marker():
    html = render("Both [@a; @b].")
    assert citation_numbers(html) == [("a", "1"), ("b", "2")]


def test_locator_is_shown_after_the_number():
    html = render("Page [@a, p. 12].")
    assert '[1]</a><span class="citation-locator">: p. 12</span></sup>' in html


def test_citation_needed_is_marked_and_counted():
    state = CitationState({})
    html = render("Claim [citation needed]. Another [citation needed].", state)
    assert html.count('<sup class="citation-needed"') == 2
    assert state.needed == 2


def test_unknown_key_is_flagged_not_crashing():
    state = CitationState(dict(SOURCES))
    html = render("Ghost [@nobody] and real [@a].", state)
    assert '<sup class="citation-missing"' in html
    assert "nobody" in html
    assert citation_numbers(html) == [("a", "1")]
    assert state.missing == ["nobody"]


@pytest.mark.parametrize(
    "text",
    [
        "- item [@a]\n- other [@b]",
        "1. first [@a]\n2. second [@b]",
        "### Heading [@a]\n\ntext [@b]",
        "| col | cited |\n|---|---|\n| x [@a] | y [@b] |",
        "> quoted [@a]\n>\n> more [@b]",
    ],
)
def test_citations_render_inside_block_structures(text):
    assert citation_numbers(render(text)) == [("a", "1"), ("b", "2")]


def test_citation_syntax_followed_by_url_stays_a_link():
    html = render("[@a](https://example.org)")
    assert '<a href="https://example.org"' in html
    assert "citation" not in html


def test_citations_in_code_are_left_alone():
    html = render("`[@a]` and\n\n    [@b]\n")
    assert citation_numbers(html) == []
    assert "[@a]" in html and "[@b]" in html


def test_footnotes_render_with_ids_unique_per_field():
    state = CitationState(dict(SOURCES))
    first = str(render_markdown("A[^1]\n\n[^1]: note [@a]", state, doc_id="lead"))
    second = str(render_markdown("B[^1]\n\n[^1]: other", state, doc_id="history"))
    assert 'href="#fn-lead-1"' in first and 'id="fn-lead-1"' in first
    assert 'href="#fn-history-1"' in second
    assert "[note 1]" in first
    assert citation_numbers(first) == [("a", "1")]


def test_external_links_get_rel_and_internal_do_not():
    html = render("[out](https://example.org) [in](/wiki/x/) [here](#ref-a)")
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer">' in html
    assert '<a href="/wiki/x/">' in html
    assert '<a href="#ref-a">' in html


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_is_rendered_harmless(text):
    html = render(text)
    assert unsafe_parts(html) == []
    assert "<script" not in html.lower()


def test_raw_html_is_shown_as_text_not_dropped():
    html = render("Use <b>bold</b> carefully")
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_outline_numbers_nest_by_level():
    assert outline_numbers([2, 3, 3, 2, 4, 2]) == ["1", "1.1", "1.2", "2", "2.0.1", "3"]


def test_table_alignment_is_a_class_not_an_inline_style():
    # The Content Security Policy blocks style attributes.
    html = render("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |")
    assert '<th class="align-left">a</th>' in html
    assert '<td class="align-center">2</td>' in html
    assert '<td class="align-right">3</td>' in html
    assert "style=" not in html
