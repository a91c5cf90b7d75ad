from pathlib import Path

import reversion
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from articles.importing import ParsedArticle, parse_article
from articles.models import MAX_MARKDOWN, Article, Section, unique_slug

MAX_BYTES = 2 * 1024 * 1024


def read_text(path: Path) -> str:
    """The file as text, or a CommandError that says what is wrong with it."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror or error}") from error
    if len(data) > MAX_BYTES:
        raise CommandError(f"{path} is {len(data):,} bytes; the limit is {MAX_BYTES:,}.")
    if b"\x00" in data:
        raise CommandError(f"{path} looks like a binary file, not text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CommandError(f"{path} is not UTF-8 text ({error.reason}).") from error
    if not text.strip():
        raise CommandError(f"{path} is empty.")
    return text


def check_sizes(parsed: ParsedArticle, title: str, path: Path) -> None:
    """Refuse what the database or the admin could not take: long titles, headings, texts."""
    texts = [("The lead", parsed.lead)] + [
        (f"The section “{section.heading[:60]}”", section.body) for section in parsed.sections
    ]
    for name, text in texts:
        if len(text) > MAX_MARKDOWN:
            raise CommandError(
                f"{name} of {path} is {len(text):,} characters long; the limit is "
                f"{MAX_MARKDOWN:,}. Split it into sections (## headings)."
            )
    lines = [("title", title, Article)] + [
        ("heading", section.heading, Section) for section in parsed.sections
    ]
    for name, line, model in lines:
        limit = model._meta.get_field(name).max_length
        if len(line) > limit:
            raise CommandError(
                f"The {name} “{line[:60]}…” of {path} is {len(line):,} characters long; "
                f"the limit is {limit}."
            )


@transaction.atomic
def save_parsed_article(parsed: ParsedArticle, *, slug: str, title: str) -> Article:
    """Create or update the article `slug` from `parsed`, as one new revision.

    Sections keep their identity (and history) when their anchor matches.
    """
    article, _ = Article.objects.get_or_create(slug=slug, defaults={"title": title})
    article.title = title
    article.lead = parsed.lead
    article.status = Article.Status.PUBLISHED
    article.save()
    existing = {section.anchor: section for section in article.sections.all()}
    anchors: set[str] = set()
    for position, parsed_section in enumerate(parsed.sections, start=1):
        anchor = unique_slug(parsed_section.heading, anchors, fallback="section")
        anchors.add(anchor)
        section = existing.pop(anchor, None) or Section(article=article, anchor=anchor)
        section.position = position
        section.level = parsed_section.level
        section.heading = parsed_section.heading
        section.body = parsed_section.body
        section.save()
    for stale in existing.values():
        stale.delete()
    return article


class Command(BaseCommand):
    help = "Import a plain-text or markdown article as a published article with sections."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--slug", help="Defaults to the slug of the title.")
        parser.add_argument("--title", help="Defaults to the file's first heading.")

    def handle(self, *args, file: Path, slug=None, title=None, **options):
        text = read_text(file)
        parsed = parse_article(text, markdown=True if file.suffix in {".md", ".markdown"} else None)
        title = title or parsed.title or file.stem.replace("_", " ").replace("-", " ")
        check_sizes(parsed, title, file)
        limit = Article._meta.get_field("slug").max_length
        slug = slug or slugify(title)[:limit].rstrip("-")
        if not slug:
            raise CommandError("Cannot make a slug from the title; pass --slug.")
        if len(slug) > limit:
            raise CommandError(f"The slug is {len(slug)} characters long; the limit is {limit}.")
        if not parsed.lead and not parsed.sections:
            raise CommandError(f"{file} has a title but no text.")
        with reversion.create_revision():
            reversion.set_comment(f"Imported from {file.name}")
            article = save_parsed_article(parsed, slug=slug, title=title)
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {article.title!r} as /wiki/{article.slug}/ "
                f"with {len(parsed.sections)} sections."
            )
        )
