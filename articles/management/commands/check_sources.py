from django.core.management.base import BaseCommand, CommandError

from articles.checks.running import check_sources, due_for_check
from articles.models import Source


def positive_days(text: str) -> float:
    try:
        days = float(text)
    except ValueError:
        days = -1
    if not 0 <= days <= 36_500:
        raise CommandError(f"--stale takes a number of days (0 to 36500), not “{text}”.")
    return days


class Command(BaseCommand):
    help = (
        "Check sources: fetch each URL (politely, safely), record status, final URL, "
        "content type, time and content hash, keep a snapshot and verify the quotation. "
        "No option checks every source; --key one; --stale DAYS those never checked or "
        "last checked more than DAYS days ago."
    )

    def add_arguments(self, parser):
        parser.add_argument("--key", help="Check only the source with this key.")
        parser.add_argument("--stale", type=positive_days, metavar="DAYS")

    def handle(self, *args, key=None, stale=None, **options):
        sources = Source.objects.all()
        if key is not None:
            sources = sources.filter(key=key)
            if not sources.exists():
                raise CommandError(f"No source has the key “{key}”.")
        if stale is not None:
            sources = sources.filter(due_for_check(stale))
        checks = check_sources(sources.order_by("key"))
        for check in sorted(checks, key=lambda check: check.source.key):
            quote = f", quote {check.quote_status}" if check.quote_status else ""
            problem = f" ({check.error}: {check.detail})" if check.error else ""
            self.stdout.write(
                f"{check.source.key}: {check.outcome} {check.status_code or '-'}{quote}{problem}"
            )
        self.stdout.write(f"Checked {len(checks)} source{'s' if len(checks) != 1 else ''}.")
