import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.interchange.lossless import ExportError, restore_export


class Command(BaseCommand):
    help = (
        "Restore an article written by export_article, with its whole history, keeping "
        "every id (so the ids must be free here: an empty database, or one without it)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            data = json.loads(file.read_text())
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror or error}") from error
        except ValueError as error:
            raise CommandError(f"{file} is not JSON: {error}") from error
        try:
            restored = restore_export(data)
        except ExportError as error:
            raise CommandError(f"Cannot restore {file}: {error}") from error
        except (KeyError, TypeError, ValueError) as error:
            raise CommandError(
                f"Cannot restore {file}: it is not a whole export ({error!r})."
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored “{restored.article.title}” at /wiki/{restored.article.slug}/ "
                f"(revisions: {restored.revisions}; sources added: {restored.sources_added}, "
                f"already here: {restored.sources_kept})."
            )
        )
        if restored.users_added:
            names = ", ".join(restored.users_added)
            self.stdout.write(f"Added inactive users (no password) for history: {names}.")
