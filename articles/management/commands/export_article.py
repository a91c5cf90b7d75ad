import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.citations import cited_keys
from articles.interchange.export import pandoc_files
from articles.interchange.lossless import article_markdown, export_article
from articles.models import Article, Source
from articles.revisions import current_state


def write(files: dict[Path, str]) -> None:
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise CommandError(f"Cannot write {path}: {error.strerror or error}") from error


class Command(BaseCommand):
    help = (
        "Export an article. --format json (the default): its whole revision history, "
        "sources and debates, restored by import_export, and its text as SLUG.md. "
        "--format pandoc: SLUG.md with [@key] citations, SLUG.bib and SLUG.json (CSL JSON) "
        "in the --output folder, which import_article reads back."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--format", choices=["json", "pandoc"], default="json")
        parser.add_argument(
            "--output", type=Path, help="A folder, or for json a .json file (default: here)."
        )

    def handle(self, *args, slug, output=None, **options):
        article = Article.objects.filter(slug=slug).first()
        if article is None:
            raise CommandError(f"No article has the slug “{slug}”.")
        state = current_state(article)
        if options["format"] == "pandoc":
            folder = output or Path()
            sources = list(Source.objects.filter(key__in=cited_keys(state.texts())).order_by("key"))
            write({folder / name: text for name, text in pandoc_files(state, sources).items()})
            self.stdout.write(
                self.style.SUCCESS(
                    f"Exported “{article.title}” to {folder / slug}.md, .bib and .json "
                    f"({len(sources)} sources)."
                )
            )
            return
        if output is None or output.is_dir():
            output = (output or Path()) / f"{slug}.json"
        data = export_article(article)
        keys = [row["fields"]["key"] for row in data["sources"]]
        markdown = article_markdown(state, list(Source.objects.filter(key__in=keys)))
        write(
            {
                output: json.dumps(data, ensure_ascii=False, indent=1) + "\n",
                output.with_suffix(".md"): markdown,
            }
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported “{article.title}” to {output} (revisions: {len(data['revisions'])}, "
                f"sources: {len(keys)}); its current text is in {output.with_suffix('.md')}."
            )
        )
