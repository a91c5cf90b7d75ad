"""Markdown to safe HTML: the one rendering pipeline of the site.

CommonMark (raw HTML off) plus tables, footnotes and the citation syntax of
`citations.py`, then sanitized by nh3. Article pages, old revisions, feeds and
the admin preview all go through `render_markdown`.
"""

from dataclasses import dataclass, field

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.footnote import footnote_plugin

from articles.citations import (
    CITATION_NEEDED,
    CitationState,
    Reference,
    cited_keys,
    parse_bracket,
    ref_anchor,
)
from articles.models import Source

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
        "a": {"href", "id", "title", "rel"},
        "img": {"src", "alt", "title"},
        "li": {"id"},
        "ol": {"start"},
        "abbr": {"title"},
        "sup": {"title"},
    },
    "allowed_classes": {
        "sup": {"citation", "citation-needed", "citation-missing", "footnote-ref"},
        "span": {"citation-locator"},
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
        occurrence = citations.cite(item.key)
        if occurrence is None:
            html.append(
                f'<sup class="citation-missing" title="No source has the key '
                f'{item.key}">[unknown source: {item.key}]</sup>'
            )
            continue
        locator = (
            f'<span class="citation-locator">: {escapeHtml(item.locator)}</span>'
            if item.locator
            else ""
        )
        html.append(
            f'<sup class="citation"><a href="#{ref_anchor(item.key, citations.prefix)}" '
            f'id="{occurrence.anchor}">[{occurrence.number}]</a>{locator}</sup>'
        )
    return "".join(html)


def render_citation_needed(self, tokens, idx, options, env) -> str:
    env["citations"].mark_needed()
    return '<sup class="citation-needed" title="This claim needs a source">[citation needed]</sup>'


def render_link_open(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    if ":" in (token.attrGet("href") or ""):
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
    MarkdownIt("commonmark", {"html": False})
    .enable(["table", "strikethrough"])
    .use(footnote_plugin)
    .use(citation_plugin)
)
MD.add_render_rule("link_open", render_link_open)
MD.add_render_rule("th_open", render_cell_open)
MD.add_render_rule("td_open", render_cell_open)
MD.add_render_rule("footnote_caption", render_footnote_caption)


def render_markdown(text: str, citations: CitationState, doc_id: str = "") -> SafeString:
    """Render one markdown field, numbering its citations in `citations`.

    `doc_id` keeps footnote ids unique when several fields share a page.
    """
    html = MD.render(text or "", {"citations": citations, "docId": doc_id or None})
    return mark_safe(nh3.clean(html, **SANITIZER))  # noqa: S308 - sanitized here


def render_preview(text: str, preceding: list[str] = ()) -> SafeString:
    """The editor's preview of one field, numbered as on the page.

    `preceding` are the article's texts that come before this one (lead,
    earlier sections); they only advance the citation numbering.
    """
    state = CitationState(Source.objects.by_key(cited_keys([*preceding, text])))
    for part in preceding:
        render_markdown(part, state, doc_id="context")
    return render_markdown(text, state, doc_id="preview")


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
    number: str
    debates: list[RenderedDebate] = field(default_factory=list)


@dataclass
class RenderedArticle:
    lead: SafeString
    sections: list[RenderedSection]
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


def render_article(state, sources: dict | None = None) -> RenderedArticle:
    """Render an article state with one citation numbering: lead, sections, debates.

    `state` has `article`, `sections` and `debates` (each with `arguments`), as
    built by `articles.revisions`; `sources` maps keys to sources and is looked
    up in one query when omitted.
    """
    if sources is None:
        sources = Source.objects.by_key(cited_keys(state.texts()))
    citations = CitationState(sources)
    lead = render_markdown(state.article.lead, citations, doc_id="lead")
    sections = state.sections
    numbers = outline_numbers([section.level for section in sections])
    rendered_sections = [
        RenderedSection(section, render_markdown(section.body, citations, section.anchor), number)
        for section, number in zip(sections, numbers, strict=True)
    ]
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
                item.argument.body, citations, f"{debate.slug}-{item.argument.slug}"
            )
        target = by_section.get(debate.section_id)
        (target.debates if target else unattached).append(rendered)
    return RenderedArticle(
        lead=lead,
        sections=rendered_sections,
        debates=unattached,
        references=citations.reference_list(),
        missing_keys=citations.missing,
        citations_needed=citations.needed,
    )
