"""Anonymous clients are limited per address; editors with a token are not."""

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_past_the_rate_anonymous_clients_get_429_with_retry_after(seed, settings):
    settings.API_ANONYMOUS_RATE = "2/minute"
    client = Client()
    assert [client.get("/api/v1/articles/miit/").status_code for _ in range(2)] == [200, 200]
    response = client.get("/api/v1/articles/miit/")  # a stored answer is limited too
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert json.loads(response.content)["status"] == 429
    other = Client(REMOTE_ADDR="10.0.0.2")
    assert other.get("/api/v1/articles/miit/").status_code == 200


def test_editors_with_a_token_are_not_limited(seed, settings, token_client):
    settings.API_ANONYMOUS_RATE = "1/minute"
    assert [token_client.get("/api/v1/articles/").status_code for _ in range(3)] == [200] * 3
