"""Pandoc markdown (pure): YAML front matter, `[@key]` citations with prefixes and
locators, bare `@key`, the `::: {#refs}` block, footnotes, and bibliographies given
as texts (the command reads the files the front matter or `--bibliography` name).
"""

import re

import yaml

from articles.citations import cited_keys
from articles.interchange.bibliography import read_bibliography, read_csl_items
from articles.interchange.markdown import add_source, outside_fences, parse_footnote_markdown
from articles.interchange.parsed import InterchangeError, ParsedArticle, ParsedSource
from articles.interchange.references import clean_key

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
REFS_DIV = re.compile(r"^:::+\s*\{#refs[^}]*\}\s*\n.*?^:::+\s*$", re.DOTALL | re.MULTILINE)
PANDOC_KEY = r"(?:\{(?P<braced>[^}]+)\}|(?P<plain>[A-Za-z0-9_](?:[\w:.#$%&+?<>~/-]*\w)?))"
BRACKET = re.compile(r"\[([^\[\]]*?-?@[^\[\]]*)\](?!\()")
ITEM = re.compile(rf"^(?P<prefix>.*?)-?@{PANDOC_KEY}(?P<rest>.*)$", re.DOTALL)
BARE = re.compile(rf"(?<![\w@\[])-?@{PANDOC_KEY}")


def front_matter(text: str) -> tuple[dict, str, int]:
    """The YAML header as a dict with lower-case keys, the body, and the body's first line."""
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text, 1
    try:
        data = yaml.safe_load(match[1])
    except yaml.YAMLError as error:
        # Where an unclosed bracket or quote opened, else where the parser stopped.
        mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
        line = f"line {mark.line + 2}" if mark else "front matter"
        reason = getattr(error, "problem", None) or "not YAML"
        raise InterchangeError(f"{line}: malformed YAML front matter ({reason})") from error
    if data is not None and not isinstance(data, dict):
        raise InterchangeError("line 2: the YAML front matter is not a mapping of fields")
    header = {str(key).lower(): value for key, value in (data or {}).items()}
    return header, text[match.end() :], match[0].count("\n") + 1


def bibliography_names(header: dict) -> list[str]:
    """The bibliography files the front matter names."""
    value = header.get("bibliography") or []
    return [str(name).strip() for name in ([value] if isinstance(value, str) else value)]


def key_map(entries: list[ParsedSource], sources: list[ParsedSource]) -> dict[str, str]:
    """Each bibliography key and the wiki key it is cited by (keys with `:` or `/`, or
    none that a wiki key can keep, get one made for them)."""
    keys = {}
    for entry in entries:
        original = entry.key
        entry.key = clean_key(original)
        keys[original] = add_source(sources, entry)
    return keys


def rewrite_citations(body: str, keys: dict[str, str], first_line: int) -> str:
    """Pandoc citations as wiki citations; a key missing from the bibliography is an error."""

    def wiki_key(match: re.Match, line: int) -> str:
        key = match["braced"] or match["plain"]
        if key not in keys:
            raise InterchangeError(
                f"line {line}: the citation key “{key}” is not in the bibliography"
            )
        return keys[key]

    def bracket(match: re.Match, line: int) -> str:
        prefixes, items = [], []
        for part in match[1].split(";"):
            item = ITEM.match(part.strip())
            if not item:
                return match.group()
            key = wiki_key(item, line)
            locator = item["rest"].strip().lstrip(",").strip()
            prefixes.append(item["prefix"].strip())
            items.append(f"@{key}, {locator}" if locator else f"@{key}")
        prefix = " ".join(p for p in prefixes if p)
        return (f"{prefix} " if prefix else "") + "[" + "; ".join(items) + "]"

    lines = body.split("\n")
    number = iter(range(first_line, first_line + len(lines)))

    def change(line: str) -> str:
        at = next(number)
        line = BRACKET.sub(lambda m: bracket(m, at), line)
        parts = re.split(r"(\[[^\[\]]*\])", line)  # leave the brackets just written alone
        return "".join(
            part if part.startswith("[") else BARE.sub(lambda m: f"[@{wiki_key(m, at)}]", part)
            for part in parts
        )

    return outside_fences(body, change)


def parse_pandoc(text: str, bibliographies: list[tuple[str, str]]) -> ParsedArticle:
    """`bibliographies` are (name, text) pairs, read by the caller."""
    header, body, first_line = front_matter(text)
    entries = [entry for name, data in bibliographies for entry in read_bibliography(data, name)]
    if isinstance(header.get("references"), list):
        entries += read_csl_items(header["references"], "front matter references")
    body = REFS_DIV.sub("", body)
    sources: list[ParsedSource] = []
    keys = key_map(entries, sources)
    body = rewrite_citations(body, keys, first_line)
    parsed = parse_footnote_markdown(body, sources, titled=bool(header.get("title")))
    cited = cited_keys(parsed.texts())
    unused = [source.key for source in sources if source.key not in cited]
    if unused:
        parsed.warn(f"{len(unused)} bibliography entries are never cited and were left out")
    parsed.sources = [source for source in sources if source.key in cited]
    parsed.title = str(header.get("title") or parsed.title or "").strip()
    parsed.slug = str(header.get("slug") or "").strip()
    parsed.lang = str(header.get("lang") or "").strip()
    parsed.format = "pandoc"
    return parsed
