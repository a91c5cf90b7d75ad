"""Django's loaddata, with its errors turned into one line that names the problem.

Loading stays Django's own, one transaction for the whole call: a broken file
loads nothing. Django's message for some errors (malformed JSON) is empty, the
reason being only in the chained exception; this says it, without a traceback.
Sources loaded get their registrable domain, which a fixture's raw save does not
compute (the reliability register rates domains).
"""

from django.core.management import CommandError
from django.core.management.commands import loaddata
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, transaction

from articles.models import Source


class Command(loaddata.Command):
    def handle(self, *fixture_labels, **options):
        try:
            with transaction.atomic(using=options.get("database")):
                result = super().handle(*fixture_labels, **options)
                Source.objects.fill_domains()
            return result
        except (DeserializationError, DatabaseError) as error:
            message = str(error).rstrip(": ")
            cause = error.__cause__ or error.__context__
            if cause is not None and str(cause) not in message:
                message = f"{message}: {cause}"
            raise CommandError(f"{message.rstrip(' .')}. Nothing was loaded.") from error
