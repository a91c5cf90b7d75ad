"""Any origin may read the API from a browser; the rest of the site stays same-origin."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_api_answers_allow_any_origin_and_expose_the_validators(seed):
    response = Client().get("/api/v1/articles/", headers={"Origin": "https://example.org"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response


def test_a_preflight_allows_reading_only():
    response = Client().options(
        "/api/v1/articles/",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"},
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"


def test_errors_carry_cors_too_so_scripts_can_read_them():
    response = Client().get("/api/v1/articles/missing/")
    assert response.status_code == 404
    assert response["Access-Control-Allow-Origin"] == "*"


def test_pages_of_the_site_get_no_cors_headers(seed):
    assert "Access-Control-Allow-Origin" not in Client().get("/wiki/miit/")
