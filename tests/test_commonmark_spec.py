"""CommonMark's own spec examples, run through the site's renderer.

The examples are the `commonmark.json` packaged with the pinned markdown-it-py
(its source distribution; `make test` fetches it into .cache/, see the
Makefile). Each example renders as a field under the title (as the lead does)
and must match the spec after the spec's normalisation, unless the table
"Where the site differs from CommonMark" of docs/editing.md lists it; then it
must differ, and only in the ways its kinds say: taking those out must give
the spec's HTML exactly.
"""

import json
import re
from pathlib import Path

import markdown_it
import pytest
from markdown_it import MarkdownIt

from articles.bare_links import BareLinks
from articles.citations import CitationState
from articles.rendering import LANGUAGE_CLASS, render_markdown
from tests.commonmark import deliberate_differences, normalize_html

SPEC = (
    Path(__file__).resolve().parent.parent
    / ".cache"
    / "commonmark"
    / f"commonmark-{markdown_it.__version__}.json"
)
EXAMPLES = json.loads(SPEC.read_text(encoding="utf-8")) if SPEC.exists() else []
DIFFERENCES = deliberate_differences()
SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


def shift_heading(match: re.Match) -> str:
    return f"<{match[1]}h{min(int(match[2]) + 1, 6)}>"


def drop_unsafe_url(match: re.Match) -> str:
    scheme = SCHEME.match(match[2])
    return "" if scheme and scheme[1].lower() not in {"http", "https", "mailto"} else match[0]


def drop_junk_language(match: re.Match) -> str:
    return match[0] if LANGUAGE_CLASS.fullmatch(match[1]) else "<code>"


def spec_html(markdown: str, kinds: set[str]) -> str:
    """The spec's HTML as the site means it to differ: markdown-it-py (which
    renders every example as the spec does) with raw HTML off or bare links on."""
    md = MarkdownIt("commonmark", {"html": "raw-html" not in kinds})
    if "bare-links" in kinds:
        md.options["linkify"] = True
        md.enable("linkify").linkify = BareLinks()
    html = normalize_html(md.render(markdown))
    if "headings" in kinds:
        html = re.sub(r"<(/?)h([1-6])>", shift_heading, html)
    if "schemes" in kinds:
        html = re.sub(r' (href|src)="([^"]*)"', drop_unsafe_url, html)
    if "code-language" in kinds:
        html = re.sub(r'<code class="([^"]*)">', drop_junk_language, html)
    return html


def without_additions(html: str, kinds: set[str]) -> str:
    """Our HTML without what the site adds on purpose: heading ids, `rel`."""
    if "headings" in kinds:
        html = re.sub(r'(<h[2-6]) id="[^"]*">', r"\1>", html)
    if "rel" in kinds:
        html = html.replace(' rel="nofollow noopener noreferrer"', "")
    return html


def render(markdown: str) -> str:
    return normalize_html(str(render_markdown(markdown, CitationState({}))))


def test_the_spec_examples_are_there():
    assert SPEC.exists(), f"{SPEC} is missing: `make test` fetches it (see the Makefile)"
    assert len(EXAMPLES) > 600


def test_the_table_names_known_kinds_and_examples():
    kinds = {"headings", "raw-html", "rel", "schemes", "code-language", "bare-links"}
    assert set().union(*DIFFERENCES.values()) <= kinds
    assert set(DIFFERENCES) <= {example["example"] for example in EXAMPLES}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: str(example["example"]))
def test_spec_example(example):
    ours, spec = render(example["markdown"]), normalize_html(example["html"])
    kinds = DIFFERENCES.get(example["example"], set())
    if not kinds:
        assert ours == spec
        return
    assert ours != spec, "renders as the spec: take it out of the table in docs/editing.md"
    assert without_additions(ours, kinds) == spec_html(example["markdown"], kinds)
