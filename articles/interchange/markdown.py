"""Markdown with footnotes (pure).

A footnote that is a reference (`references.looks_like_reference`) becomes a source
and each of its uses a `[@key]` citation; an explanatory note stays a footnote,
defined again in every section that uses it (each section renders its own notes).
A use without a definition is removed with a warning: a page never shows `[^n]`.
"""

import re

from articles.citations import find_citation_keys
from articles.interchange.parsed import ParsedArticle, ParsedSection, ParsedSource
from articles.interchange.plain import FENCE, parse_markdown
from articles.interchange.references import (
    identities,
    looks_like_reference,
    make_key,
    source_from_text,
)

DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:[ \t]?(.*)$")
USE = re.compile(r"\[\^([^\]\s]+)\](?!:)")
# Headings of sections that only held the footnotes or the generated reference list.
REFERENCE_HEADINGS = re.compile(
    r"^(references?|notes?|footnotes?|sources?|citations?|bibliography|works cited|"
    r"notes and references|参考资料|參考資料|参考文献|參考文獻|注释|註釋|注解|脚注|腳註|"
    r"来源|來源|引用|参考|參考|资料来源|資料來源)$",
    re.IGNORECASE,
)


def split_definitions(text: str) -> tuple[str, dict[str, tuple[int, str]]]:
    """The text without its footnote definitions, and each definition by label with
    its line number. A definition continues on indented lines."""
    kept, definitions = [], {}
    label, in_fence = None, False
    for number, line in enumerate(text.split("\n"), start=1):
        if FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else DEFINITION.match(line)
        if match:
            label = match[1]
            definitions[label] = (number, match[2].strip())
            continue
        if label and (line.startswith(("    ", "\t")) or not line.strip()):
            if line.strip():
                start, body = definitions[label]
                definitions[label] = (start, f"{body}\n{line.strip()}".strip())
            else:
                kept.append(line)
            continue
        label = None
        kept.append(line)
    return "\n".join(kept), definitions


def outside_fences(text: str, change) -> str:
    """Apply `change` to every line that is not in a fenced code block."""
    lines, in_fence = [], False
    for line in text.split("\n"):
        if FENCE.match(line):
            in_fence = not in_fence
        lines.append(line if in_fence else change(line))
    return "\n".join(lines)


def add_source(sources: list[ParsedSource], source: ParsedSource) -> str:
    """Add `source` unless the list has the same one already; its key either way."""
    mine = set(identities(source))
    for known in sources:
        if mine & set(identities(known)) or (not mine and known.title == source.title):
            return known.key
    source.key = source.key or make_key(source)
    taken = {known.key for known in sources}
    base, n = source.key, 2
    while source.key in taken:
        source.key, n = f"{base}-{n}", n + 1
    sources.append(source)
    return source.key


def with_notes(body: str, notes: dict[str, str]) -> str:
    """`body` followed by the definitions of the notes it uses."""
    used = list(dict.fromkeys(USE.findall(body)))
    definitions = [f"[^{label}]: {notes[label]}" for label in used if label in notes]
    return "\n\n".join(part for part in [body.strip(), *definitions] if part)


def is_reference_list(section: ParsedSection) -> bool:
    return not section.body.strip() and bool(REFERENCE_HEADINGS.match(section.heading.strip()))


def parse_footnote_markdown(
    text: str, sources: list[ParsedSource] | None = None, titled: bool = False
) -> ParsedArticle:
    """Title, lead and sections of footnote markdown, its references as sources."""
    sources = [] if sources is None else sources
    warnings: list[str] = []
    body, definitions = split_definitions(text)
    keys, notes = {}, {}
    for label, (line, definition) in definitions.items():
        # A footnote that cites sources of its own is a note about them.
        if looks_like_reference(definition) and not find_citation_keys(definition):
            keys[label] = add_source(sources, source_from_text(definition))
        elif definition:
            notes[label] = " ".join(definition.split())
        else:
            warnings.append(f"line {line}: the footnote [^{label}] is empty and was dropped")

    def replace(match: re.Match) -> str:
        label = match[1]
        if label in keys:
            return f"[@{keys[label]}]"
        if label in notes:
            return match.group()
        warnings.append(f"the footnote [^{label}] is used but never defined; it was dropped")
        return ""

    body = outside_fences(body, lambda line: USE.sub(replace, line))
    cited = set(re.findall(r"\[@([\w-]+)\]", body))
    for label, key in keys.items():
        if key not in cited:
            warnings.append(f"the reference [^{label}] is never cited; it was kept as source {key}")
    parsed = parse_markdown(body, titled)
    parsed.lead = with_notes(parsed.lead, notes)
    for section in parsed.sections:
        section.paragraphs = [with_notes(section.body, notes)]
    parsed.sections = [s for s in parsed.sections if not is_reference_list(s)]
    parsed.sources, parsed.warnings = sources, list(dict.fromkeys(warnings))
    parsed.notes = len(notes)
    parsed.format = "markdown"
    return parsed
