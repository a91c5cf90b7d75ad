"""Anonymous clients are limited per address in the answers they make the site build;
stored answers (cheaper than the check) and editors with a token are not limited."""

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_past_the_rate_anonymous_clients_get_429_with_retry_after(seed, settings):
    settings.API_ANONYMOUS_RATE = "2/minute"
    client = Client()
    urls = ["/api/v1/articles/?limit=1", "/api/v1/search/?q=ministry", "/api/v1/sources/?limit=1"]
    assert [client.get(url).status_code for url in urls] == [200, 200, 429]
    response = client.get("/api/v1/debates/?limit=1")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    wait = response["Retry-After"]
    assert json.loads(response.content) == {
        "status": 429,
        "detail": f"Request was throttled. Expected available in {wait} seconds.",
    }
    other = Client(REMOTE_ADDR="10.0.0.2")
    assert other.get("/api/v1/debates/?limit=1").status_code == 200


def test_stored_answers_are_not_counted(seed, settings):
    settings.API_ANONYMOUS_RATE = "1/minute"
    statuses = [Client().get("/api/v1/articles/miit/").status_code for _ in range(5)]
    assert statuses == [200] * 5  # made once, then served as stored


def test_editors_with_a_token_are_not_limited(seed, settings, token_client):
    settings.API_ANONYMOUS_RATE = "1/minute"
    assert [token_client.get("/api/v1/articles/").status_code for _ in range(3)] == [200] * 3
