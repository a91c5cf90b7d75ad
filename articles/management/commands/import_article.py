from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator
from django.utils.text import slugify

from articles.interchange.formats import FORMATS, decode, read_article
from articles.interchange.pandoc import bibliography_names, front_matter
from articles.interchange.parsed import InterchangeError, Provenance
from articles.interchange.writer import import_parsed
from articles.models import Article


def read_file(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror or error}") from error
    try:
        return decode(data, str(path))
    except InterchangeError as error:
        raise CommandError(str(error)) from error


def bibliographies(path: Path, text: str, given: list[Path]) -> list[tuple[str, str]]:
    """`--bibliography` files, or else those the front matter names (beside the file)."""
    if not given:
        try:
            header = front_matter(text)[0]
        except InterchangeError as error:
            raise CommandError(f"{path}, {error}") from error
        given = [path.parent / name for name in bibliography_names(header)]
    return [(file.name, read_file(file)) for file in given]


def make_slug(title: str, path: Path) -> str:
    """From the title or, when it has no Latin letters (a Chinese title), the file name."""
    limit = Article._meta.get_field("slug").max_length
    slug = (slugify(title) or slugify(path.stem))[:limit].rstrip("-")
    if not slug:
        raise CommandError("Cannot make a slug from the title; pass --slug.")
    return slug


class Command(BaseCommand):
    help = (
        "Import an article from plain text, markdown with footnotes, Pandoc markdown (with "
        "a BibTeX or CSL JSON bibliography) or MediaWiki wikitext, its references merged "
        "into the source library. Re-importing a slug makes a new revision."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=FORMATS, default="auto")
        parser.add_argument("--bibliography", type=Path, action="append", default=[])
        parser.add_argument("--slug", help="Defaults to the front matter's, or the title's.")
        parser.add_argument("--title", help="Defaults to the file's title or first heading.")
        parser.add_argument(
            "--lang",
            help="The text's language (BCP 47: en, zh-Hans…); overrides the front matter's.",
        )
        parser.add_argument(
            "--translation-of",
            metavar="SLUG",
            help="Link the article as a translation of this one (and of its translations).",
        )
        parser.add_argument("--source-url", default="", help="Where the text came from.")
        parser.add_argument("--license", default="", help="Its licence, e.g. CC BY-SA 4.0.")
        parser.add_argument("--attribution", default="", help="Who wrote it.")
        parser.add_argument("--dry-run", action="store_true", help="Report; write nothing.")

    def handle(self, *args, file: Path, **options):
        translation_of = None
        if options["translation_of"]:
            translation_of = Article.objects.filter(slug=options["translation_of"]).first()
            if translation_of is None:
                raise CommandError(
                    f"--translation-of: no article has the slug {options['translation_of']}."
                )
        text = read_file(file)
        known = Article.objects.values_list("slug", flat=True)
        try:
            parsed = read_article(
                text,
                name=file.name,
                format=options["format"],
                bibliographies=bibliographies(file, text, options["bibliography"]),
                known_slugs=known,
            )
        except InterchangeError as error:
            raise CommandError(f"{file}, {error}") from error
        parsed.lang = options["lang"] or parsed.lang
        if not parsed.lead and not parsed.sections:
            raise CommandError(f"{file} has a title but no text.")
        title = options["title"] or parsed.title or file.stem.replace("_", " ").replace("-", " ")
        slug = options["slug"] or parsed.slug or make_slug(title, file)
        limit = Article._meta.get_field("slug").max_length
        if len(slug) > limit:
            raise CommandError(f"The slug is {len(slug)} characters long; the limit is {limit}.")
        if options["source_url"]:
            try:
                URLValidator(schemes=["http", "https"])(options["source_url"])
            except ValidationError as error:
                raise CommandError(f"--source-url {options['source_url']} is not a URL") from error
        parsed.provenance = Provenance(
            options["source_url"], options["license"], options["attribution"]
        )
        try:
            report = import_parsed(
                parsed,
                slug=slug,
                title=title,
                name=file.name,
                dry_run=options["dry_run"],
                translation_of=translation_of,
            )
        except InterchangeError as error:
            raise CommandError(f"{file}: {error}") from error
        self.stdout.write("\n".join(report.lines()))
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was written.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported as /wiki/{slug}/."))
