"""/healthz: 200 while the primary answers; replicas' states on request."""

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_answers_when_database_is_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_healthz_reports_the_replicas_on_request(client, settings):
    settings.DATABASE_REPLICAS = []
    response = client.get("/healthz?replicas")
    assert response.status_code == 200
    assert response.json() == {"primary": "ok", "replicas": {}}
