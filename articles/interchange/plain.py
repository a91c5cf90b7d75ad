"""Split a plain-text or markdown article into title, lead and sections (pure).

Markdown: `#` before any text is the title, `##`–`####` start sections of that
level. Plain text (as copied from a web page): paragraphs are lines, or blocks
of lines where blank lines separate them; a short line with no final
punctuation between paragraphs is a heading. Plain text is escaped so that it
renders exactly as written.
"""

import re

from articles.interchange.parsed import ParsedArticle, ParsedSection

MAX_HEADING_LENGTH = 80
ATX_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
FENCE = re.compile(r"^\s*(```|~~~)")
# Web copies run each heading into its "Edit" link: "History and mandateEdit".
EDIT_LINK = re.compile(r"(?<=[^\sA-Z])Edit$")
FINAL_PUNCTUATION = tuple(".!?:;,\"'”’)…")
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
LINE_START_SPECIAL = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])")


def clean_heading(line: str) -> str:
    return EDIT_LINK.sub("", line.strip()).strip()


def escape_markdown(text: str) -> str:
    """Backslash-escape what markdown would otherwise read as syntax."""
    text = MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return LINE_START_SPECIAL.sub(lambda m: m[1] + re.sub(r"([^\d])", r"\\\1", m[2]), text)


def looks_like_heading(line: str) -> bool:
    line = line.strip()
    return 0 < len(line) <= MAX_HEADING_LENGTH and not line.endswith(FINAL_PUNCTUATION)


def is_markdown(text: str) -> bool:
    return any(ATX_HEADING.match(line) for line in text.splitlines())


def plain_paragraphs(text: str) -> list[str]:
    """Blank-line separated blocks, or single lines when the text has no blank lines."""
    lines = text.splitlines()
    if any(not line.strip() for line in lines):
        blocks = re.split(r"\n\s*\n", text.strip())
        return [" ".join(block.split("\n")).strip() for block in blocks if block.strip()]
    return [line.strip() for line in lines if line.strip()]


def parse_plain_text(text: str) -> ParsedArticle:
    paragraphs = plain_paragraphs(text)
    title = ""
    if len(paragraphs) > 1 and looks_like_heading(paragraphs[0]):
        title = clean_heading(paragraphs.pop(0))
    lead: list[str] = []
    sections: list[ParsedSection] = []
    for index, paragraph in enumerate(paragraphs):
        followed_by_text = index + 1 < len(paragraphs) and not looks_like_heading(
            paragraphs[index + 1]
        )
        if looks_like_heading(paragraph) and followed_by_text:
            sections.append(ParsedSection(clean_heading(paragraph), 2))
        else:
            (sections[-1].paragraphs if sections else lead).append(escape_markdown(paragraph))
    return ParsedArticle(title, "\n\n".join(lead), sections)


def parse_markdown(text: str, titled: bool = False) -> ParsedArticle:
    """A first `#` heading before any text is the title unless the article is already
    `titled` (Pandoc front matter); when `#` headings start sections, every level moves
    one down so that they stay above their `##` subsections."""
    title = ""
    lead: list[str] = []
    sections: list[ParsedSection] = []
    in_fence = False
    for line in text.splitlines():
        if FENCE.match(line):
            in_fence = not in_fence
        heading = None if in_fence else ATX_HEADING.match(line)
        if heading and len(heading[1]) <= 4:
            level, words = len(heading[1]), clean_heading(heading[2])
            if (
                level == 1
                and not titled
                and not title
                and not sections
                and not "".join(lead).strip()
            ):
                title = words
            else:
                sections.append(ParsedSection(words, level))
            continue
        (sections[-1].paragraphs if sections else lead).append(line)
    shift = 1 if any(section.level == 1 for section in sections) else 0
    for section in sections:
        section.paragraphs = ["\n".join(section.paragraphs).strip()]
        section.level = min(max(section.level + shift, 2), 4)
    return ParsedArticle(title, "\n".join(lead).strip(), sections)


def parse_article(text: str, markdown: bool | None = None) -> ParsedArticle:
    """Parse `text`; `markdown=None` decides by whether it has `#` headings."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if markdown is None:
        markdown = is_markdown(text)
    return parse_markdown(text) if markdown else parse_plain_text(text)
