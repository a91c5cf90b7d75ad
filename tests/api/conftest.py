import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.authtoken.models import Token

from articles.models import Article
from tests.editing import make_editor
from tests.factories import make_article


@pytest.fixture
def miit(seed) -> Article:
    """The seed article with its first revision, as `make run` leaves it."""
    call_command("createinitialrevisions", verbosity=0)
    return seed


@pytest.fixture
def draft(db) -> Article:
    return make_article(slug="draft", title="Unfinished", status=Article.Status.DRAFT)


@pytest.fixture
def token_client(db) -> Client:
    """A client sending an editor's API token, as scripts do (no session)."""
    token = Token.objects.create(user=make_editor("api-editor"))
    return Client(headers={"Authorization": f"Token {token.key}"})
