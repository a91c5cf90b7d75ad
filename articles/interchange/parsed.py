"""What every reader produces and the writer saves (pure).

Section bodies are the wiki's own markdown: citations are `[@key]` of a source in
`sources`, explanatory notes are footnotes defined in the section that uses them.
"""

from dataclasses import dataclass, field


class InterchangeError(ValueError):
    """Input that cannot be imported, with the line or entry that is wrong."""


@dataclass
class ParsedSource:
    """A reference as read; `key` is its citation key in the parsed text."""

    key: str
    title: str = ""
    authors: str = ""
    publisher: str = ""
    date: str = ""  # YYYY, YYYY-MM or YYYY-MM-DD when known
    url: str = ""
    archive_url: str = ""
    archive_date: str = ""
    accessed: str = ""  # YYYY-MM-DD
    doi: str = ""
    language: str = ""
    quote: str = ""
    extra: str = ""  # what has no field of its own (pages, volume, format)


@dataclass
class ParsedSection:
    heading: str
    level: int
    paragraphs: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass
class Provenance:
    source_url: str = ""
    license: str = ""
    attribution: str = ""


@dataclass
class ParsedArticle:
    title: str
    lead: str
    sections: list[ParsedSection]
    sources: list[ParsedSource] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: int = 0  # explanatory footnotes kept as footnotes
    slug: str = ""
    lang: str = ""
    format: str = ""
    provenance: Provenance = field(default_factory=Provenance)

    def texts(self) -> list[str]:
        return [self.lead, *(section.body for section in self.sections)]

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)
