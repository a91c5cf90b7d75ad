from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from rq import SimpleWorker

from articles.checks.queue import check_queue


class Command(BaseCommand):
    help = (
        'Run the worker of the admin\'s "check now": it takes jobs from the RQ queue '
        "SOURCE_CHECK_QUEUE on REDIS_URL. --burst stops when the queue is empty."
    )

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true", help="Stop when the queue is empty.")

    def handle(self, *args, burst=False, **options):
        queue = check_queue()
        if queue is None:
            raise CommandError("REDIS_URL is not set: checks run inline, no worker is needed.")
        # Jobs run in the worker's own process (no fork per job): a check is I/O
        # bound, and Django's database connections stay the worker's own.
        worker = SimpleWorker([queue], connection=queue.connection)
        self.stdout.write(f"Checking sources from queue {settings.SOURCE_CHECK_QUEUE}.")
        worker.work(burst=burst, logging_level="WARNING")
