"""Headings written inside a markdown field, placed below the heading it sits under.

Every field is shown under some heading: the lead under the article's title
(h1), a section body under its section heading (h2–h4), an argument under its
column's heading. A `#` in the field becomes one level below that heading,
`##` two levels, and so on, capped at h6, so that what an editor types never
competes with the page's own structure. Each such heading gets an id,
`<prefix>-<slug of its text>` (the prefix is the section's anchor; the slug is
Unicode for a Chinese heading, see anchors.py), numbered
-2, -3… when the page already has it, and is collected for the table of
contents, except inside block quotes and footnotes: a quoted heading belongs
to the quotation, not to the article's outline.
"""

from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from articles.anchors import anchor_slug

MAX_LEVEL = 6
# Containers whose headings are not part of the article's outline.
OUTSIDE_OUTLINE = {"blockquote_open": 1, "blockquote_close": -1}
OUTSIDE_OUTLINE |= {"footnote_open": 1, "footnote_close": -1}
TEXT_CHILDREN = {"text", "text_special", "code_inline"}


@dataclass(frozen=True)
class Heading:
    level: int
    anchor: str
    text: str


@dataclass
class Outline:
    """The ids taken on one page and the outline headings found so far, in order."""

    taken: set[str] = field(default_factory=set)
    headings: list[Heading] = field(default_factory=list)

    def claim(self, base: str) -> str:
        anchor, n = base, 2
        while anchor in self.taken:
            anchor, n = f"{base}-{n}", n + 1
        self.taken.add(anchor)
        return anchor


def plain_text(inline: Token) -> str:
    """The words of a heading, without markup, citations or footnote markers."""
    words = []
    for child in inline.children or ():
        if child.type in TEXT_CHILDREN:
            words.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            words.append(" ")
        elif child.type == "image":
            words.append(plain_text(child))
    return " ".join("".join(words).split())


def heading_rule(state: StateCore) -> None:
    """Core rule: shift heading levels under `env["heading_level"]`, give them ids."""
    outline: Outline = state.env["outline"]
    above, prefix = state.env["heading_level"], state.env["heading_prefix"]
    tokens, nested = state.tokens, 0
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            if token.type in OUTSIDE_OUTLINE:
                nested += OUTSIDE_OUTLINE[token.type]
            continue
        level = min(above + int(token.tag[1:]), MAX_LEVEL)
        token.tag = tokens[index + 2].tag = f"h{level}"  # open, inline, close
        text = plain_text(tokens[index + 1])
        anchor = outline.claim("-".join(filter(None, (prefix, anchor_slug(text) or "heading"))))
        token.attrSet("id", anchor)
        if not nested:
            outline.headings.append(Heading(level, anchor, text))


def headings_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("headings", heading_rule)
