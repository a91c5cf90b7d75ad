"""A source, or an article as a web page, as BibTeX, RIS and CSL JSON (pure).

Entries take any object with a source's fields (`key`, `title`, `authors`,
`publisher`, `date`, `url`, `accessed`, `notes`), so the same code writes a
library source and the "cite this page" entry of an article.
"""

import json
import re
from dataclasses import dataclass
from datetime import date as Date

FORMATS = {
    "bib": "application/x-bibtex; charset=utf-8",
    "ris": "application/x-research-info-systems; charset=utf-8",
    "json": "application/vnd.citationstyles.csl+json; charset=utf-8",
}
BIBTEX_SPECIAL = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "%": r"\%",
        "&": r"\&",
        "#": r"\#",
        "$": r"\$",
        "_": r"\_",
        "~": r"\textasciitilde{}",
    }  # fmt: skip
)


@dataclass
class Citable:
    """The fields an entry reads (an article page has no Source row)."""

    key: str
    title: str
    authors: str = ""
    publisher: str = ""
    date: str = ""
    url: str = ""
    accessed: Date | None = None
    notes: str = ""


def names(authors: str) -> list[str]:
    return [name.strip() for name in (authors or "").split(",") if name.strip()]


def doi_of(source) -> str:
    for line in (source.notes or "").splitlines():
        if line.startswith("DOI: "):
            return line[5:].strip()
    return ""


def bibtex_value(value: str) -> str:
    """Escaped so that it reads back as written (`--` would read as a dash)."""
    return re.sub(r"-(?=-)", "-{}", value.translate(BIBTEX_SPECIAL))


def bibtex(source) -> str:
    """One `@misc` entry; every value escaped, so a title cannot end the entry."""
    fields = [
        ("title", source.title),
        ("author", " and ".join(names(source.authors))),
        ("publisher", source.publisher),
        ("date", source.date),
        ("year", source.date[:4]),
        ("url", source.url),
        ("urldate", source.accessed.isoformat() if source.accessed else ""),
        ("doi", doi_of(source)),
    ]
    lines = [f"  {name} = {{{bibtex_value(value)}}}," for name, value in fields if value]
    return f"@misc{{{source.key},\n" + "\n".join(lines) + "\n}\n"


def ris_line(tag: str, value: str) -> str:
    return f"{tag}  - {' '.join(value.split())}"


def ris(source) -> str:
    lines = [ris_line("TY", "ELEC" if source.url else "GEN"), ris_line("ID", source.key)]
    lines.append(ris_line("TI", source.title))
    lines += [ris_line("AU", name) for name in names(source.authors)]
    if source.publisher:
        lines.append(ris_line("PB", source.publisher))
    if source.date:
        parts = source.date.split("-")
        lines.append(ris_line("PY", parts[0]))
        lines.append(ris_line("DA", "/".join(parts + [""] * (3 - len(parts))) + "/"))
    if source.url:
        lines.append(ris_line("UR", source.url))
    if source.accessed:
        lines.append(ris_line("Y2", source.accessed.isoformat()))
    if doi := doi_of(source):
        lines.append(ris_line("DO", doi))
    return "\n".join([*lines, "ER  - ", ""])


def csl_name(name: str) -> dict:
    given, _, family = name.rpartition(" ")
    return {"family": family, "given": given} if given else {"literal": name}


def csl_item(source) -> dict:
    item = {"id": source.key, "type": "webpage" if source.url else "document"}
    item["title"] = source.title
    if source.authors:
        item["author"] = [csl_name(name) for name in names(source.authors)]
    if source.publisher:
        item["container-title"] = source.publisher
    if source.date:
        item["issued"] = {"date-parts": [[int(part) for part in source.date.split("-")]]}
    if source.url:
        item["URL"] = source.url
    if source.accessed:
        accessed = source.accessed
        item["accessed"] = {"date-parts": [[accessed.year, accessed.month, accessed.day]]}
    if doi := doi_of(source):
        item["DOI"] = doi
    return item


def csl_json(sources) -> str:
    return json.dumps([csl_item(source) for source in sources], ensure_ascii=False, indent=1)


def entry(source, extension: str) -> str:
    """`source` in the format of this file extension (bib, ris or json)."""
    if extension == "bib":
        return bibtex(source)
    if extension == "ris":
        return ris(source)
    return csl_json([source]) + "\n"


def page_citable(*, slug: str, title: str, url: str, updated: Date, site: str) -> Citable:
    """The "cite this page" entry of an article: the wiki as publisher, the last change
    as its date, read today."""
    return Citable(
        key=slug, title=title, publisher=site, date=updated.isoformat(), url=url,
        accessed=Date.today(),
    )  # fmt: skip
