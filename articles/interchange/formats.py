"""Which reader reads a file, and the checks every input passes first (pure)."""

import re
from collections.abc import Iterable

from articles.interchange.markdown import parse_footnote_markdown
from articles.interchange.pandoc import FRONT_MATTER, parse_pandoc
from articles.interchange.parsed import InterchangeError, ParsedArticle
from articles.interchange.plain import is_markdown, parse_plain_text
from articles.interchange.wikitext import parse_wikitext

FORMATS = ("auto", "markdown", "pandoc", "wikitext")
MAX_BYTES = 2 * 1024 * 1024
WIKITEXT_EXTENSIONS = (".wiki", ".wikitext", ".mediawiki", ".mw")
WIKITEXT_SIGNS = re.compile(r"^==+[^=\n]+==+\s*$|<ref[\s>]|\{\{|'''|\[\[", re.MULTILINE)
PANDOC_SIGNS = re.compile(r"\[[^\]\n]*@[\w{][^\]\n]*\]|^:::\s*\{#refs", re.MULTILINE)


def decode(data: bytes, name: str) -> str:
    """The bytes as text, or an InterchangeError saying what is wrong with them."""
    if len(data) > MAX_BYTES:
        raise InterchangeError(f"{name} is {len(data):,} bytes; the limit is {MAX_BYTES:,}.")
    if b"\x00" in data:
        raise InterchangeError(f"{name} looks like a binary file, not text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InterchangeError(
            f"{name} is not UTF-8 text (line {line}: {error.reason})."
        ) from error
    if not text.strip():
        raise InterchangeError(f"{name} is empty.")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def detect_format(name: str, text: str) -> str:
    """By extension first, then by what the text uses."""
    lower = name.lower()
    if lower.endswith(WIKITEXT_EXTENSIONS):
        return "wikitext"
    if FRONT_MATTER.match(text) or PANDOC_SIGNS.search(text):
        return "pandoc"
    if lower.endswith((".md", ".markdown")) or is_markdown(text):
        return "markdown"
    if len(WIKITEXT_SIGNS.findall(text)) >= 2:
        return "wikitext"
    return "markdown"


def read_article(
    text: str,
    *,
    name: str,
    format: str = "auto",
    bibliographies: list[tuple[str, str]] = (),
    known_slugs: Iterable[str] = (),
) -> ParsedArticle:
    """`text` read as `format`; `bibliographies` are (name, text) pairs for Pandoc."""
    if format == "auto":
        format = "pandoc" if bibliographies else detect_format(name, text)
    if format == "wikitext":
        return parse_wikitext(text, known_slugs)
    if format == "pandoc":
        return parse_pandoc(text, list(bibliographies))
    if not is_markdown(text) and "[^" not in text and not name.endswith(".md"):
        parsed = parse_plain_text(text)
        parsed.format = "plain text"
        return parsed
    return parse_footnote_markdown(text)
