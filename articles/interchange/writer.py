"""Save a `ParsedArticle`: sources merged into the library, the article and its
sections written as one revision, in one transaction; or, for a dry run, only the
report of what would be written.
"""

from dataclasses import dataclass, field
from datetime import date

import reversion
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from articles.anchors import ANCHOR_LENGTH, anchor_slug
from articles.citations import find_citation_keys
from articles.interchange.parsed import InterchangeError, ParsedArticle, ParsedSource
from articles.interchange.references import identities, rename_citations
from articles.languages import DEFAULT_LANGUAGE, normalize_tag, validate_language_tag
from articles.models import MAX_MARKDOWN, Article, Section, Source, unique_slug
from articles.translations import clash_message, link_translation, same_language


@dataclass
class ImportReport:
    title: str
    slug: str
    format: str
    sections: list[tuple[str, int]]
    citations: int
    notes: int
    new_sources: list[str] = field(default_factory=list)
    reused_sources: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    provenance: str = ""
    language: str = ""
    translation_of: str = ""  # the slug of the article it is linked to as a translation
    created: bool = True
    sources: dict = field(default_factory=dict, repr=False)  # key -> Source, for a preview

    def summary(self, name: str) -> str:
        """The revision summary: what was imported from where."""
        text = (
            f"Imported from {name} ({self.format}): {len(self.sections)} sections, "
            f"{self.citations} citations, {self.notes} notes, {len(self.new_sources)} new "
            f"sources, {len(self.reused_sources)} reused"
        )
        if self.warnings:
            text += f", {len(self.warnings)} warnings"
        return text + (f"; {self.provenance}" if self.provenance else "")

    def lines(self) -> list[str]:
        outline = [
            f"  {'  ' * (level - 2)}{heading} (level {level})" for heading, level in self.sections
        ]
        what = "new article" if self.created else "new revision"
        return [
            f"“{self.title}” → /wiki/{self.slug}/ ({what})",
            f"Format: {self.format}",
            f"Sections: {len(self.sections)}",
            *outline,
            f"Citations: {self.citations}",
            f"Notes: {self.notes}",
            f"Sources new: {len(self.new_sources)} {' '.join(self.new_sources)}".rstrip(),
            f"Sources reused: {len(self.reused_sources)} {' '.join(self.reused_sources)}".rstrip(),
            *([f"Provenance: {self.provenance}"] if self.provenance else []),
            f"Language: {self.language}",
            *([f"Translation of: /wiki/{self.translation_of}/"] if self.translation_of else []),
            f"Warnings: {len(self.warnings)}",
            *(f"  - {warning}" for warning in self.warnings),
        ]


def provenance_line(parsed: ParsedArticle) -> str:
    p = parsed.provenance
    return "; ".join(part for part in [p.attribution, p.source_url, p.license] if part)


def library_index() -> tuple[dict[tuple, str], set[str]]:
    """Every identity of every source in the library (one query), and the keys taken."""
    index, keys = {}, set()
    rows = Source.objects.values_list("key", "title", "publisher", "date", "url", "notes")
    for key, title, publisher, when, url, notes in rows:
        keys.add(key)
        doi = next((line[5:] for line in notes.splitlines() if line.startswith("DOI: ")), "")
        row = ParsedSource(key, title=title, publisher=publisher, date=when, url=url, doi=doi)
        for identity in identities(row):
            index.setdefault(identity, key)
    return index, keys


def source_notes(source: ParsedSource) -> str:
    lines = [
        f"DOI: {source.doi}" if source.doi else "",
        f"Language: {source.language}" if source.language else "",
        f"Archived: {source.archive_date}" if source.archive_date else "",
        source.extra,
    ]
    return "\n".join(line for line in lines if line)


def source_row(source: ParsedSource, warnings: list[str]) -> Source:
    """The Source to create; what its fields cannot hold goes to its notes, with a warning."""
    url_limit = Source._meta.get_field("url").max_length
    row = Source(
        key=source.key,
        title=source.title[:300] or source.url[:300] or source.key,
        authors=source.authors[:300],
        publisher=source.publisher[:200],
        date=source.date,
        url=source.url if len(source.url) <= url_limit else "",
        archive_url=source.archive_url if len(source.archive_url) <= url_limit else "",
        accessed=date.fromisoformat(source.accessed) if source.accessed else None,
        quote=source.quote,
        notes=source_notes(source),
    )
    if not row.url and source.doi:
        row.url = f"https://doi.org/{source.doi}"[:url_limit]
    for name, label in (("url", "URL"), ("archive_url", "Archive URL")):
        value = getattr(source, name)
        if value and not getattr(row, name) and not row.url.endswith(value):
            row.notes = f"{row.notes}\n{label}: {value}".strip()
            warnings.append(f"source {source.key}: its {name} is too long; kept in its notes")
    try:
        row.clean_fields(exclude=["key", "updated_at"])
    except ValidationError as error:
        for name in error.message_dict:
            warnings.append(f"source {source.key}: its {name} is not valid; left empty")
            setattr(row, name, None if name == "accessed" else "")
    return row


def plan_sources(parsed: ParsedArticle) -> tuple[list[Source], list[str], dict[str, str]]:
    """Sources to create, keys of library sources reused, and parsed keys renamed."""
    index, taken = library_index()
    new, reused, renamed = [], [], {}
    for source in parsed.sources:
        existing = next((index[i] for i in identities(source) if i in index), None)
        if existing:
            renamed[source.key] = existing
            reused.append(existing)
            continue
        key, n = source.key, 2
        while key in taken:
            key, n = f"{source.key}-{n}", n + 1
        taken.add(key)
        renamed[source.key] = key
        source.key = key
        new.append(source_row(source, parsed.warnings))
        for identity in identities(source):
            index.setdefault(identity, key)
    return new, list(dict.fromkeys(reused)), {k: v for k, v in renamed.items() if k != v}


def check_sizes(parsed: ParsedArticle, title: str) -> None:
    """Refuse what the database or the admin could not take."""
    texts = [("The lead", parsed.lead)] + [
        (f"The section “{section.heading[:60]}”", section.body) for section in parsed.sections
    ]
    for name, text in texts:
        if len(text) > MAX_MARKDOWN:
            raise InterchangeError(
                f"{name} is {len(text):,} characters long; the limit is "
                f"{MAX_MARKDOWN:,}. Split it into sections (## headings)."
            )
    lines = [("title", title, Article)] + [
        ("heading", section.heading, Section) for section in parsed.sections
    ]
    for name, line, model in lines:
        limit = model._meta.get_field(name).max_length
        if len(line) > limit:
            raise InterchangeError(
                f"The {name} “{line[:60]}…” is {len(line):,} characters long; the limit is {limit}."
            )


def save_sections(article: Article, parsed: ParsedArticle) -> None:
    """Sections keep their identity (and history) when their anchor matches."""
    existing = {section.anchor: section for section in article.sections.all()}
    anchors: set[str] = set()
    for position, parsed_section in enumerate(parsed.sections, start=1):
        anchor = unique_slug(parsed_section.heading, anchors, "section", anchor_slug)
        anchor = anchor[:ANCHOR_LENGTH]
        anchors.add(anchor)
        section = existing.pop(anchor, None) or Section(article=article, anchor=anchor)
        section.position = position
        section.level = min(max(parsed_section.level, 2), 4)
        section.heading = parsed_section.heading
        section.body = parsed_section.body
        section.save()
    for stale in existing.values():
        stale.delete()


def checked_language(tag: str) -> str:
    """`tag` as BCP 47 writes it, or an InterchangeError naming it."""
    tag = normalize_tag(tag)
    try:
        validate_language_tag(tag)
    except ValidationError as error:
        raise InterchangeError(f"language: {error.messages[0]}") from error
    return tag


def check_link(translation_of: Article, imported: Article) -> None:
    """What `link_to` would refuse, for a dry run: a translation in the same language."""
    group = Article.objects.translations_of(translation_of) or [translation_of]
    clash = same_language([imported, *(a for a in group if a.slug != imported.slug)])
    if clash:
        raise InterchangeError(f"--translation-of {translation_of.slug}: {clash_message(*clash)}")


def link_to(article: Article, translation_of: Article) -> None:
    """Link the imported article to its original, or refuse the whole import."""
    try:
        link_translation(article, to=translation_of)
    except ValidationError as error:
        raise InterchangeError(
            f"--translation-of {translation_of.slug}: {error.messages[0]}"
        ) from error


def import_parsed(
    parsed: ParsedArticle,
    *,
    slug: str,
    title: str,
    name: str,
    user=None,
    dry_run: bool = False,
    translation_of: Article | None = None,
) -> ImportReport:
    """Write `parsed` as the article `slug` (a new revision when it exists), its
    sources merged into the library, in the language `parsed.lang` (else the one
    it has, else the default) and linked as a translation of `translation_of`;
    with `dry_run`, write nothing."""
    check_sizes(parsed, title)
    language = checked_language(parsed.lang) if parsed.lang else ""
    if translation_of is not None and translation_of.slug == slug:
        raise InterchangeError("--translation-of names the article being imported")
    with transaction.atomic():
        existing = Article.objects.filter(slug=slug).values_list("language", flat=True).first()
        new, reused, renamed = plan_sources(parsed)
        parsed.lead = rename_citations(parsed.lead, renamed)
        for section in parsed.sections:
            section.paragraphs = [rename_citations(section.body, renamed)]
        report = ImportReport(
            title=title,
            slug=slug,
            format=parsed.format,
            sections=[(section.heading, section.level) for section in parsed.sections],
            citations=sum(len(find_citation_keys(text)) for text in parsed.texts()),
            notes=parsed.notes,
            new_sources=[source.key for source in new],
            reused_sources=reused,
            warnings=parsed.warnings,
            provenance=provenance_line(parsed),
            created=existing is None,
            language=language or existing or DEFAULT_LANGUAGE,
            translation_of=translation_of.slug if translation_of else "",
        )
        report.sources = {source.key: source for source in new} | Source.objects.by_key(reused)
        if dry_run:
            if translation_of is not None:
                check_link(
                    translation_of, Article(slug=slug, title=title, language=report.language)
                )
            return report
        try:
            with transaction.atomic():
                Source.objects.bulk_create(new)
        except IntegrityError as error:
            raise InterchangeError(
                "another import added one of these sources meanwhile; nothing was written, "
                "import again to reuse it"
            ) from error
        with reversion.create_revision():
            article = Article.objects.filter(slug=slug).first() or Article(slug=slug)
            if article.pk:
                Article.objects.locked(article.pk)
            article.title, article.lead = title, parsed.lead
            article.status = Article.Status.PUBLISHED
            p = parsed.provenance
            article.source_url = p.source_url or article.source_url
            article.license = p.license or article.license
            article.attribution = p.attribution or article.attribution
            article.language = report.language
            article.save()
            save_sections(article, parsed)
            if translation_of is not None:
                link_to(article, translation_of)
            reversion.set_comment(report.summary(name))
            if user is not None:
                reversion.set_user(user)
    return report
