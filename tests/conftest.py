import pytest
from django.core.cache import caches
from django.core.management import call_command

from articles.models import Article


@pytest.fixture
def seed(db) -> Article:
    """The seed article, its sources and debates, loaded from fixtures/miit.json."""
    call_command("loaddata", "miit", verbosity=0)
    return Article.objects.get(slug="miit")


@pytest.fixture(autouse=True)
def empty_caches(settings):
    """Each test starts with empty render caches (local memory outlives a test)."""
    for alias in settings.CACHES:
        caches[alias].clear()
