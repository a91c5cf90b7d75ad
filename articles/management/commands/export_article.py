import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.interchange.lossless import article_markdown, export_article
from articles.models import Article, Source
from articles.revisions import current_state


class Command(BaseCommand):
    help = (
        "Write an article with its whole revision history, sources and debates to a JSON "
        "file (restore it with import_export), and its current text to a markdown file."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--output", type=Path, help="Defaults to SLUG.json here.")

    def handle(self, *args, slug, output=None, **options):
        article = Article.objects.filter(slug=slug).first()
        if article is None:
            raise CommandError(f"No article has the slug “{slug}”.")
        output = output or Path(f"{slug}.json")
        data = export_article(article)
        keys = [row["fields"]["key"] for row in data["sources"]]
        markdown = article_markdown(
            current_state(article), list(Source.objects.filter(key__in=keys))
        )
        try:
            output.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
            output.with_suffix(".md").write_text(markdown)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror or error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported “{article.title}” to {output} (revisions: {len(data['revisions'])}, "
                f"sources: {len(keys)}); its current text is in {output.with_suffix('.md')}."
            )
        )
