"""Markdown to safe HTML: the one rendering pipeline of the site.

CommonMark (raw HTML off) plus tables, footnotes, bare links (GFM's autolink
extension) and the citation syntax of `citations.py`, with headings placed below
the field's own (`headings.py`), then sanitized by nh3. Article pages, old
revisions, feeds and the admin preview all go through `render_markdown`.
"""

import json
import re
from dataclasses import dataclass, field

import nh3
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.footnote import footnote_plugin

from articles.bare_links import BareLinks
from articles.citations import (
    CITATION_NEEDED,
    CitationState,
    Occurrence,
    Reference,
    cited_keys,
    parse_bracket,
    ref_anchor,
)
from articles.headings import Heading, Outline, headings_plugin
from articles.models import Rating, Source

SANITIZER = {
    "tags": {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "del",
        "em",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "section",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    },  # fmt: skip
    "attributes": {
        "a": {"href", "id", "title", "rel", "aria-describedby"},
        "code": {"class"},  # only a language: see `language_classes_only`
        **{f"h{level}": {"id"} for level in range(2, 7)},
        "img": {"src", "alt", "title"},
        "li": {"id"},
        "ol": {"start"},
        "abbr": {"title"},
        "sup": {"title"},
        "span": {"id", "role"},  # a citation's supporting passage
    },
    "allowed_classes": {
        "sup": {"citation", "citation-needed", "citation-missing", "footnote-ref"},
        "span": {"citation-locator", "citation-support"},
        "a": {"footnote-backref"},
        "section": {"footnotes"},
        "ol": {"footnotes-list"},
        "li": {"footnote-item"},
        "hr": {"footnotes-sep"},
        "th": {"align-left", "align-center", "align-right"},
        "td": {"align-left", "align-center", "align-right"},
    },
    "url_schemes": {"http", "https", "mailto"},
    "link_rel": None,  # set per link in `render_link_open`: in-page links need none
}
EXTERNAL_REL = "nofollow noopener noreferrer"
# An argument's text sits under its column's heading (h4 on the article page).
ARGUMENT_LEVEL = 4
# What a fence's info string may name: `python`, `c++`, `objective-c`, `f#` not.
LANGUAGE_CLASS = re.compile(r"language-[A-Za-z0-9_+-]+")
CODE_CLASS = re.compile(r'<code class="([^"]*)">')


def language_classes_only(html: str) -> str:
    """nh3's output with `<code class>` kept only as one `language-…` class.

    A filter after nh3 rather than its `attribute_filter`, which calls back into
    Python for every attribute of the page (each citation has three).
    """
    return CODE_CLASS.sub(
        lambda code: code[0] if LANGUAGE_CLASS.fullmatch(code[1]) else "<code>", html
    )


def citation_rule(state: StateInline, silent: bool) -> bool:
    """Inline rule turning `[@…]` and `[citation needed]` into citation tokens."""
    if state.src[state.pos] != "[":
        return False
    if state.src.startswith(CITATION_NEEDED, state.pos):
        end = state.pos + len(CITATION_NEEDED)
        if not silent:
            state.push("citation_needed", "", 0)
        state.pos = end
        return True
    close = state.src.find("]", state.pos)
    if close < 0 or state.src[close + 1 : close + 2] == "(":
        return False  # `[@x](url)` stays an ordinary link
    items = parse_bracket(state.src[state.pos : close + 1])
    if not items:
        return False
    if not silent:
        state.push("citation", "", 0).meta["items"] = items
    state.pos = close + 1
    return True


def render_citation(self, tokens, idx, options, env) -> str:
    citations: CitationState = env["citations"]
    html = []
    for item in tokens[idx].meta["items"]:
        occurrence = citations.cite(item.key, item.locator, item.passage)
        if occurrence is None:
            # In the reader's interface language: rendered pages are cached per language.
            names = {"key": escapeHtml(item.key)}
            title = _("No source has the key %(key)s") % names
            marker = _("[unknown source: %(key)s]") % names
            html.append(f'<sup class="citation-missing" title="{title}">{marker}</sup>')
            continue
        locator = (
            f'<span class="citation-locator">: {escapeHtml(item.locator)}</span>'
            if item.locator
            else ""
        )
        html.append(
            f'<sup class="citation"><a href="#{ref_anchor(item.key, citations.prefix)}" '
            f'id="{occurrence.anchor}"{support_attribute(occurrence)}>[{occurrence.number}]</a>'
            f"{locator}{render_support(occurrence)}</sup>"
        )
    return "".join(html)


def support_attribute(occurrence: Occurrence) -> str:
    """The link names its supporting passage as its description, for screen readers."""
    return f' aria-describedby="{occurrence.support_anchor}"' if occurrence.passage else ""


def render_support(occurrence: Occurrence) -> str:
    """The passage that supports the sentence, shown on hover and focus of the citation
    (CSS only: the Content Security Policy allows no inline script)."""
    if not occurrence.passage:
        return ""
    where = f" ({escapeHtml(occurrence.locator)})" if occurrence.locator else ""
    return (
        f'<span class="citation-support" role="tooltip" id="{occurrence.support_anchor}">'
        f"“{escapeHtml(occurrence.passage)}”{where}</span>"
    )


def render_citation_needed(self, tokens, idx, options, env) -> str:
    env["citations"].mark_needed()
    title, marker = _("This claim needs a source"), _("[citation needed]")
    return f'<sup class="citation-needed" title="{title}">{marker}</sup>'


def render_link_open(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    href = token.attrGet("href") or ""
    if ":" in href or href.startswith("//"):  # `//host` is another site too
        token.attrSet("rel", EXTERNAL_REL)
    return self.renderToken(tokens, idx, options, env)


def render_cell_open(self, tokens, idx, options, env) -> str:
    # Table alignment as a class: the Content Security Policy forbids inline styles.
    token = tokens[idx]
    align = (token.attrs.pop("style", None) or "").removeprefix("text-align:")
    if align:
        token.attrSet("class", f"align-{align}")
    return self.renderToken(tokens, idx, options, env)


def render_footnote_caption(self, tokens, idx, options, env) -> str:
    # "[note 1]" so that footnotes are not mistaken for numbered citations.
    return f"[note {tokens[idx].meta['id'] + 1}]"


def citation_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("link", "citation", citation_rule)
    md.add_render_rule("citation", render_citation)
    md.add_render_rule("citation_needed", render_citation_needed)


MD = (
    MarkdownIt("commonmark", {"html": False, "linkify": True})
    .enable(["table", "strikethrough", "linkify"])
    .use(footnote_plugin)
    .use(citation_plugin)
    .use(headings_plugin)
)
MD.linkify = BareLinks()
MD.add_render_rule("link_open", render_link_open)
MD.add_render_rule("th_open", render_cell_open)
MD.add_render_rule("td_open", render_cell_open)
MD.add_render_rule("footnote_caption", render_footnote_caption)


def render_markdown(
    text: str,
    citations: CitationState,
    doc_id: str = "",
    *,
    level: int = 1,
    outline: Outline | None = None,
) -> SafeString:
    """Render one markdown field, numbering its citations in `citations`.

    `doc_id` keeps footnote and heading ids unique when several fields share a
    page; `level` is the heading the field is shown under (1: the title), and
    `outline` collects the field's headings and the page's ids.
    """
    env = {
        "citations": citations,
        "docId": doc_id or None,
        "heading_level": level,
        "heading_prefix": doc_id,
        "outline": outline or Outline(),
    }
    html = MD.render(text or "", env)
    return mark_safe(language_classes_only(nh3.clean(html, **SANITIZER)))  # noqa: S308 - sanitized


# What json.dumps leaves that could end a <script> element or start a comment in it.
JSON_IN_SCRIPT = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def render_json_ld(data: dict) -> SafeString:
    """`data` as a `<script type="application/ld+json">` element. The JSON is
    escaped as Django's json_script escapes it, so no text can close the element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_IN_SCRIPT)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308 - escaped above


def render_preview(text: str, preceding: list[str] = (), level: int = 2) -> SafeString:
    """The editor's preview of one field, numbered as on the page.

    `preceding` are the article's texts that come before this one (lead,
    earlier sections); they only advance the citation numbering. `level` is
    the heading the field is shown under: 1 for the lead, a section's level.
    """
    state = CitationState(Source.objects.by_key(cited_keys([*preceding, text])))
    for part in preceding:
        render_markdown(part, state, doc_id="context")
    return render_markdown(text, state, doc_id="preview", level=level)


def markdownify_preview(text: str) -> SafeString:
    """markdownx's MARKDOWNX_MARKDOWNIFY_FUNCTION: the same sanitizing renderer."""
    return render_preview(text)


@dataclass
class RenderedArgument:
    argument: object
    html: SafeString


@dataclass
class RenderedDebate:
    debate: object
    supporters: list[RenderedArgument] = field(default_factory=list)
    critics: list[RenderedArgument] = field(default_factory=list)


@dataclass
class RenderedSection:
    section: object
    html: SafeString
    headings: list[Heading]  # those of its body that belong in the table of contents
    debates: list[RenderedDebate] = field(default_factory=list)


@dataclass(frozen=True)
class TocEntry:
    level: int
    anchor: str
    text: str
    number: str


@dataclass
class RenderedArticle:
    lead: SafeString
    sections: list[RenderedSection]
    toc: list[TocEntry]
    debates: list[RenderedDebate]  # those not attached to a section
    references: list[Reference]
    missing_keys: list[str]
    citations_needed: int


def outline_numbers(levels: list[int]) -> list[str]:
    """Table-of-contents numbers ("1", "1.1", "2") for headings of these levels."""
    counters: list[int] = []
    numbers = []
    for level in levels:
        depth = max(level - 1, 1)
        counters = (counters + [0] * depth)[:depth]
        counters[-1] += 1
        numbers.append(".".join(map(str, counters)))
    return numbers


def table_of_contents(sections: list[RenderedSection]) -> list[TocEntry]:
    """Each section followed by the headings of its body, numbered as one outline."""
    headings = [
        entry
        for rendered in sections
        for entry in [
            Heading(rendered.section.level, rendered.section.anchor, rendered.section.heading),
            *rendered.headings,
        ]
    ]
    numbers = outline_numbers([heading.level for heading in headings])
    return [
        TocEntry(heading.level, heading.anchor, heading.text, number)
        for heading, number in zip(headings, numbers, strict=True)
    ]


def render_article(state, sources: dict | None = None) -> RenderedArticle:
    """Render an article state with one citation numbering: lead, sections, debates.

    `state` has `article`, `sections` and `debates` (each with `arguments`), as
    built by `articles.revisions`; `sources` maps keys to sources and is looked
    up in one query when omitted.
    """
    if sources is None:
        sources = Source.objects.by_key(cited_keys(state.texts()))
    citations = CitationState(sources, Rating.objects.for_sources(sources.values()))
    # Body headings take ids after their section's anchor: the page's own ids come first.
    anchors = [section.anchor for section in state.sections]
    outline = Outline({*anchors, *(f"h-{anchor}" for anchor in anchors)})
    lead = render_markdown(state.article.lead, citations, doc_id="lead", outline=outline)
    rendered_sections = []
    for section in state.sections:
        start = len(outline.headings)
        html = render_markdown(
            section.body, citations, section.anchor, level=section.level, outline=outline
        )
        rendered_sections.append(RenderedSection(section, html, outline.headings[start:]))
    by_section = {rendered.section.pk: rendered for rendered in rendered_sections}
    unattached = []
    for debate in state.debates:
        rendered = RenderedDebate(debate)
        for argument in debate.arguments:
            column = rendered.supporters if argument.side == "supporter" else rendered.critics
            column.append(RenderedArgument(argument, None))
        # Supporters are read (and numbered) before critics, as on the page.
        for item in rendered.supporters + rendered.critics:
            item.html = render_markdown(
                item.argument.body,
                citations,
                f"{debate.slug}-{item.argument.slug}",
                level=ARGUMENT_LEVEL,
                outline=outline,
            )
        target = by_section.get(debate.section_id)
        (target.debates if target else unattached).append(rendered)
    return RenderedArticle(
        lead=lead,
        sections=rendered_sections,
        toc=table_of_contents(rendered_sections),
        debates=unattached,
        references=citations.reference_list(),
        missing_keys=citations.missing,
        citations_needed=citations.needed,
    )
