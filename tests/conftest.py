import pytest
from django.core.management import call_command

from articles.models import Article


@pytest.fixture
def seed(db) -> Article:
    """The seed article, its sources and debates, loaded from fixtures/miit.json."""
    call_command("loaddata", "miit", verbosity=0)
    return Article.objects.get(slug="miit")
