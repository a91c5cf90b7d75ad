"""BibTeX/biblatex (read with bibtexparser) and CSL JSON bibliographies (pure).

Each entry becomes a `ParsedSource` keyed by its own citation key; a broken entry
is an `InterchangeError` naming its line.
"""

import json
import re

import bibtexparser
from bibtexparser.model import DuplicateBlockKeyBlock, Entry

from articles.interchange.parsed import InterchangeError, ParsedSource
from articles.interchange.references import full_date, normal_date

# `%` starts a comment in biblatex files (bibtexparser keeps it in the value).
COMMENT = re.compile(r"(?<!\\)%.*$", re.MULTILINE)
# Escaped characters are set aside while braces and dashes are read, then put back.
ESCAPED = re.compile(r"\\textbackslash\{\}|\\textasciitilde\{\}|\\([&%$#_{}])")
ESCAPES = {r"\textbackslash{}": "\\", r"\textasciitilde{}": "~"}
LATEX = [
    (re.compile(r"\\(?:textit|textbf|emph|url|mkbibquote)\{"), "{"),
    (re.compile(r"---"), "—"),
    (re.compile(r"--"), "–"),
    (re.compile(r"~"), " "),
    (re.compile(r"[{}]"), ""),
]
PUBLISHER_FIELDS = ("journal", "journaltitle", "booktitle", "publisher", "organization",
                    "institution", "howpublished", "school")  # fmt: skip
EXTRA_FIELDS = ("volume", "number", "pages", "edition", "isbn", "issn", "note")


def plain(value: str) -> str:
    """A BibTeX value as text: braces, dashes, ties and escapes read as LaTeX would."""
    held: list[str] = []

    def hold(match: re.Match) -> str:
        held.append(match[1] or ESCAPES[match.group()])
        return f"\x00{len(held) - 1}\x00"

    value = ESCAPED.sub(hold, value)
    for pattern, replacement in LATEX:
        value = pattern.sub(replacement, value)
    value = re.sub(r"\x00(\d+)\x00", lambda match: held[int(match[1])], value)
    return " ".join(value.split())


def bibtex_authors(value: str) -> str:
    """`Purvis, Liston K. and Butera, Robert J.` as `Liston K. Purvis, Robert J. Butera`."""
    names = []
    for name in re.split(r"\s+and\s+", plain(value)):
        last, _, first = name.partition(",")
        names.append(f"{first.strip()} {last.strip()}".strip() if first else name.strip())
    return ", ".join(name for name in names if name)


def from_bibtex_entry(entry: Entry) -> ParsedSource:
    fields = {field.key.lower(): plain(str(field.value)) for field in entry.fields}
    raw = {field.key.lower(): str(field.value) for field in entry.fields}
    extra = [f"{name} {fields[name]}" for name in EXTRA_FIELDS if fields.get(name)]
    return ParsedSource(
        key=entry.key,
        title=fields.get("title", "")[:300],
        authors=bibtex_authors(raw.get("author") or raw.get("editor") or "")[:300],
        publisher=next((fields[name] for name in PUBLISHER_FIELDS if fields.get(name)), "")[:200],
        date=normal_date(fields.get("date", ""))
        or "-".join(
            part for part in [fields.get("year", ""), month_number(fields.get("month", ""))] if part
        ),
        url=fields.get("url", ""),
        accessed=full_date(fields.get("urldate", "")),
        doi=fields.get("doi", ""),
        language=fields.get("langid", "") or fields.get("language", ""),
        extra=", ".join(extra),
    )


def month_number(month: str) -> str:
    date = normal_date(f"{month} 2000") if month and not month.isdigit() else ""
    if date:
        return date[5:7]
    return f"{int(month):02d}" if month.isdigit() and 1 <= int(month) <= 12 else ""


def read_bibtex(text: str, name: str) -> list[ParsedSource]:
    library = bibtexparser.parse_string(COMMENT.sub("", text))
    for block in library.failed_blocks:
        first = block.raw.strip().split("\n")[0][:80]
        why = "a duplicate key" if isinstance(block, DuplicateBlockKeyBlock) else "broken"
        raise InterchangeError(f"{name}, line {block.start_line + 1}: entry {first} is {why}")
    return [from_bibtex_entry(entry) for entry in library.entries]


def csl_date(value) -> str:
    if not isinstance(value, dict):
        return ""
    parts = (value.get("date-parts") or [[]])[0]
    if parts and str(parts[0]).isdigit():
        return "-".join(f"{int(p):02d}" if i else str(p) for i, p in enumerate(parts[:3]))
    return normal_date(str(value.get("raw") or value.get("literal") or ""))


def csl_names(names) -> str:
    found = []
    for name in names or []:
        if isinstance(name, dict):
            found.append(
                name.get("literal")
                or " ".join(filter(None, [name.get("given"), name.get("family")]))
            )
    return ", ".join(found)


def from_csl_item(item: dict) -> ParsedSource:
    extra = [f"{name} {item[name]}" for name in ("volume", "issue", "page") if item.get(name)]
    return ParsedSource(
        key=str(item["id"]),
        title=str(item.get("title", ""))[:300],
        authors=(csl_names(item.get("author")) or csl_names(item.get("editor")))[:300],
        publisher=str(item.get("container-title") or item.get("publisher") or "")[:200],
        date=csl_date(item.get("issued")),
        url=str(item.get("URL", "")),
        accessed=full_date(csl_date(item.get("accessed"))),
        doi=str(item.get("DOI", "")),
        language=str(item.get("language", "")),
        quote=str(item.get("quote", "")) if item.get("quote") else "",
        extra=", ".join(extra),
    )


def read_csl_items(items, name: str) -> list[ParsedSource]:
    if not isinstance(items, list):
        raise InterchangeError(f"{name}: CSL JSON is a list of entries")
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not item.get("id"):
            raise InterchangeError(f"{name}, entry {number}: a CSL entry needs an id")
    return [from_csl_item(item) for item in items]


def read_csl_json(text: str, name: str) -> list[ParsedSource]:
    try:
        items = json.loads(text)
    except ValueError as error:
        line = getattr(error, "lineno", "?")
        raise InterchangeError(f"{name}, line {line}: not valid CSL JSON ({error})") from error
    return read_csl_items(items, name)


def read_bibliography(text: str, name: str) -> list[ParsedSource]:
    """Entries of a `.bib` or CSL `.json` file (told apart by name, then content)."""
    if name.lower().endswith(".json") or text.lstrip().startswith("["):
        return read_csl_json(text, name)
    return read_bibtex(text, name)
