import pytest
from django.core.cache import caches
from django.core.management import call_command

from articles.models import Article
from tests.catalogues import compile_catalogues
from tests.editing import make_editor


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues():
    """The Chinese interface compiled as `make test` does, for pytest run on its own."""
    compile_catalogues()


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


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Logins in tests hash with MD5: the real hasher's cost is for attackers, not tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor_client(client, settings, tmp_path):
    """A client logged in as a staff member of the Editors group; uploads go to tmp_path."""
    settings.MEDIA_ROOT = tmp_path
    client.force_login(make_editor())
    return client


@pytest.fixture
def local_site(settings):
    """A local web server the source checker may fetch from (private addresses
    allowed, no delay between requests unless a test sets one)."""
    from tests.web_server import LocalSite

    settings.SOURCE_FETCH_ALLOW_PRIVATE = True
    settings.SOURCE_FETCH_HOST_DELAY = 0
    settings.SOURCE_FETCH_TIMEOUT = 5
    site = LocalSite()
    yield site
    site.close()
