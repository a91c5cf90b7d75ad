"""The readers of articles.interchange: footnote markdown, Pandoc, bibliographies,
wikitext. Pure text in, ParsedArticle out."""

import json

import pytest

from articles.interchange.bibliography import read_bibliography
from articles.interchange.formats import decode, detect_format, read_article
from articles.interchange.markdown import parse_footnote_markdown
from articles.interchange.pandoc import parse_pandoc
from articles.interchange.parsed import InterchangeError
from articles.interchange.references import make_key, normal_date, normal_url, source_from_text
from articles.interchange.wikitext import parse_wikitext

FOOTNOTED = """# Rivers

Rivers flow.[^1] They carry silt.[^why]

## Flow

Fast water.[^2][^1] Slow water.[^why]

## References

[^1]: Smith, “River flow”, Hydrology Press, 2001. https://example.org/flow
[^2]: [Silt in rivers](https://www.example.com/silt/?utm_source=x) 2019-05-04
[^why]: Because gravity pulls it.
"""


def test_reference_footnotes_become_sources_and_citations():
    parsed = parse_footnote_markdown(FOOTNOTED)
    first, second = parsed.sources
    assert (first.title, first.url, first.date) == (
        "River flow",
        "https://example.org/flow",
        "2001",
    )
    assert second.title == "Silt in rivers" and second.date == "2019-05-04"
    assert f"Rivers flow.[@{first.key}]" in parsed.lead
    assert f"Fast water.[@{second.key}][@{first.key}]" in parsed.sections[0].body


def test_explanatory_notes_stay_footnotes_defined_in_each_section_that_uses_them():
    parsed = parse_footnote_markdown(FOOTNOTED)
    assert parsed.notes == 1
    for text in (parsed.lead, parsed.sections[0].body):
        assert "[^why]" in text and text.endswith("[^why]: Because gravity pulls it.")


def test_the_emptied_references_section_is_dropped():
    parsed = parse_footnote_markdown(FOOTNOTED)
    assert [s.heading for s in parsed.sections] == ["Flow"]


def test_an_undefined_footnote_is_removed_with_a_warning_never_left_literal():
    parsed = parse_footnote_markdown("Text.[^9] More.\n")
    assert "[^" not in parsed.lead
    assert any("[^9]" in warning for warning in parsed.warnings)


def test_footnotes_in_code_blocks_are_left_alone():
    parsed = parse_footnote_markdown("```\nx[^1]\n```\n\n[^1]: A note.\n")
    assert "x[^1]" in parsed.lead


def test_one_reference_cited_twice_is_one_source():
    text = "A.[^a] B.[^b]\n\n[^a]: https://example.org/x\n[^b]: http://www.example.org/x/\n"
    parsed = parse_footnote_markdown(text)
    assert len(parsed.sources) == 1
    assert parsed.lead.count(f"[@{parsed.sources[0].key}]") == 2


BIB = """@article{purvis,
  author = {Purvis, Liston K. and Butera, Robert J.},
  title = {Ionic {C}urrent Model},
  journal = {Journal of Neurophysiology},
  year = {2005}, doi = {10.1152/jn.00703.2004}, pages = {723--733}
}
@online{cell:ml,
  title = {Physiome}, url = {https://models.cellml.org/x}, date = {2015-02-12},
  urldate = {2016-12-01} % a comment biblatex allows
}
"""
PANDOC = """---
title: Ionic currents
lang: en
slug: ionic
bibliography: refs.bib
---

# Introduction

As shown [see @purvis, p. 3; @cell:ml] and by @purvis.

::: {#refs}
:::
"""


def test_pandoc_front_matter_citations_and_bibliography():
    parsed = parse_pandoc(PANDOC, [("refs.bib", BIB)])
    assert (parsed.title, parsed.slug, parsed.lang) == ("Ionic currents", "ionic", "en")
    assert [(s.heading, s.level) for s in parsed.sections] == [("Introduction", 2)]
    purvis, cellml = parsed.sources
    body = parsed.sections[0].body
    assert f"see [@purvis, p. 3; @{cellml.key}]" in body
    assert "by [@purvis]." in body and "{#refs}" not in body
    assert purvis.authors == "Liston K. Purvis, Robert J. Butera"
    assert (purvis.title, purvis.doi, purvis.date) == (
        "Ionic Current Model",
        "10.1152/jn.00703.2004",
        "2005",
    )
    assert "pages 723–733" in purvis.extra
    assert (cellml.key, cellml.accessed, cellml.date) == ("cell-ml", "2016-12-01", "2015-02-12")


def test_pandoc_with_csl_json():
    csl = json.dumps(
        [
            {
                "id": "un2023",
                "type": "report",
                "title": "Water",
                "issued": {"date-parts": [[2023, 3]]},
                "author": [{"family": "Doe", "given": "Ann"}],
                "URL": "https://un.org/w",
            }
        ]
    )
    parsed = parse_pandoc("Water [@un2023].\n", [("refs.json", csl)])
    (source,) = parsed.sources
    assert (source.key, source.date, source.authors) == ("un2023", "2023-03", "Ann Doe")


@pytest.mark.parametrize(
    ("text", "bibliography", "message"),
    [
        ("---\ntitle: [unclosed\n---\nText.\n", "", "line 2: malformed YAML"),
        ("---\n- a list\n---\nText.\n", "", "not a mapping"),
        (
            "\n\nSee [@nobody].\n",
            BIB,
            "line 3: the citation key “nobody” is not in the bibliography",
        ),
        ("[@purvis]", "@article{broken, title = {x\n", "refs.bib, line 1: entry @article{broken"),
        ("[@a]", "@book{a, title={A}}\n@book{a, title={B}}\n", "duplicate key"),
    ],
    ids=["yaml", "yaml-list", "missing-key", "broken-bibtex", "duplicate-bibtex"],
)
def test_bad_pandoc_input_names_the_line_or_entry(text, bibliography, message):
    with pytest.raises(InterchangeError, match=message):
        parse_pandoc(text, [("refs.bib", bibliography)] if bibliography else [])


def test_bad_csl_json_names_the_line():
    with pytest.raises(InterchangeError, match="refs.json, line 2"):
        read_bibliography('[\n{"id": }]', "refs.json")


WIKI = """'''Water''' is wet.<ref name="un">{{Cite News |title=Water report
 |url=https://www.un.org/water |newspaper=UN News |date=3 March 2023 |access-date=2024-01-02
 |last1=Doe |first1=Ann |archiveurl=https://web.archive.org/x |language=en
 |quote=Water is life.}}</ref>
{{Infobox river|name=Nile}}
== History ==
People drank it.<ref name="un" /> See [[Rivers|the rivers]] and [[Lakes]].{{efn|A note with a source.<ref>https://example.org/n</ref>}}
=== Ancient times ===
* one
** two
# first
-{zh-hans:计算机;zh-hant:電腦}- [[File:X.jpg|thumb|A picture]] [[Category:Water]]
{| class="wikitable"
| a
|}
== References ==
{{reflist}}
"""


def test_wikitext_sections_refs_and_named_reuse():
    parsed = parse_wikitext(WIKI, known_slugs={"rivers"})
    assert [(s.heading, s.level) for s in parsed.sections] == [("History", 2), ("Ancient times", 3)]
    un, note_source = parsed.sources
    assert parsed.lead.startswith(f"**Water** is wet.[@{un.key}]")
    history = parsed.sections[0].body
    assert f"People drank it.[@{un.key}]" in history
    assert "[the rivers](/wiki/rivers/) and Lakes." in history


def test_wikitext_cite_template_parameters_in_any_spelling():
    un = parse_wikitext(WIKI).sources[0]
    assert (un.title, un.url, un.publisher) == (
        "Water report",
        "https://www.un.org/water",
        "UN News",
    )
    assert (un.date, un.accessed, un.authors) == ("2023-03-03", "2024-01-02", "Ann Doe")
    assert (un.archive_url, un.language, un.quote) == (
        "https://web.archive.org/x",
        "en",
        "Water is life.",
    )


def test_wikitext_note_templates_become_footnotes_with_their_citations():
    parsed = parse_wikitext(WIKI)
    history = parsed.sections[0].body
    key = parsed.sources[1].key
    assert "[^note-1]" in history
    assert f"[^note-1]: A note with a source.[@{key}]" in history


def test_wikitext_lists_variants_and_dropped_things():
    parsed = parse_wikitext(WIKI)
    ancient = parsed.sections[1].body
    assert "- one\n  - two\n1. first" in ancient
    assert "计算机" in ancient and "電腦" not in ancient
    for name in [
        "template {{Infobox river",
        "file [[File:X.jpg",
        "category [[Category:Water]]",
        "a table",
    ]:
        assert any(name in warning for warning in parsed.warnings), name
    assert not any("reflist" in warning for warning in parsed.warnings)
    texts = "".join(parsed.texts())
    for leak in ("{{", "[[", "<ref", "}}", "-{"):
        assert leak not in texts


def test_an_unclosed_ref_names_its_line():
    with pytest.raises(InterchangeError, match="line 3: a <ref> is never closed"):
        parse_wikitext("A.\n\nB.<ref>{{cite web|title=x}}\n\nC.\n")


def test_markdown_syntax_in_wikitext_is_escaped():
    parsed = parse_wikitext("Price *5* [x] <b>bold</b>\n")
    assert parsed.lead.startswith("Price \\*5\\* \\[x\\]")


def test_urls_are_compared_without_scheme_www_port_slash_or_tracking():
    same = {
        normal_url("https://www.Example.org:443/a/?utm_source=feed&id=2"),
        normal_url("http://example.org/a?id=2&fbclid=z"),
    }
    assert len(same) == 1


def test_keys_are_readable_stable_and_valid_even_for_chinese_titles():
    source = source_from_text("《近日修改教科書》. 2002-03-29. http://www.nownews.com/2002/328.htm")
    key = make_key(source)
    assert key.startswith("nownews-2002-") and key == make_key(source)
    assert make_key(source_from_text("《國語辭典》 1976")).startswith("source-1976-")


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2002/03/29", "2002-03-29"),
        ("3 March 2023", "2023-03-03"),
        ("June 21, 1969", "1969-06-21"),
        ("2002年3月", "2002-03"),
        ("c. 1976", "1976"),
        ("nope", ""),
    ],
)
def test_dates_in_the_usual_spellings(text, date):
    assert normal_date(text) == date


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("a.wiki", "x", "wikitext"),
        ("a.txt", "== H ==\n'''b''' [[c]]", "wikitext"),
        ("a.md", "---\ntitle: x\n---\n", "pandoc"),
        ("a.txt", "See [@key].", "pandoc"),
        ("a.md", "Text[^1]\n\n[^1]: n", "markdown"),
    ],
)
def test_auto_format_by_extension_then_content(name, text, expected):
    assert detect_format(name, text) == expected


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"ok\n\xff\xfe", "not UTF-8 text \\(line 2"), (b"\x89PNG\x00", "binary"), (b" \n", "empty")],
)
def test_bad_bytes_are_refused(data, message):
    with pytest.raises(InterchangeError, match=message):
        decode(data, "f.md")


def test_plain_text_still_reads_as_before():
    parsed = read_article("Title\n\nSome text here.\n", name="a.txt")
    assert parsed.format == "plain text" and parsed.title == "Title"


def test_short_citations_point_to_their_full_citation_with_the_page():
    parsed = parse_wikitext(
        "Rivers flow.{{sfn|Smith|Jones|2001|p=3}}"
        " Deltas grow.<ref>{{harvnb|Smith|2001|pp=5–7}}</ref> Lakes.{{sfn|Nobody|1999}}\n"
        "== Sources ==\n* {{cite book|last1=Smith|first1=Ann|last2=Jones|year=2001|title=Rivers}}\n"
    )
    smith, nobody = parsed.sources
    assert (smith.title, smith.authors, smith.date) == ("Rivers", "Ann Smith, Jones", "2001")
    assert f"Rivers flow.[@{smith.key}, p. 3] Deltas grow.[@{smith.key}, pp. 5–7]" in parsed.lead
    assert (nobody.authors, nobody.date) == ("Nobody", "1999")
    assert any("{{sfn|Nobody|1999}} matches no full citation" in w for w in parsed.warnings)


def test_list_defined_references_and_note_tags():
    parsed = parse_wikitext(
        "A.<ref name=a /> B.{{NoteTag|Said in 1990, translated.}}\n"
        "== References ==\n<references>\n<ref name=a>{{cite web|title=Alpha|url=https://a.org}}</ref>"
        "\n</references>\n"
    )
    (alpha,) = parsed.sources
    assert parsed.lead.startswith(f"A.[@{alpha.key}] B.[^note-1]")
    assert "[^note-1]: Said in 1990, translated." in parsed.lead
    assert parsed.sections == []
