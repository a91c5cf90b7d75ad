"""The admin's date drill-down refuses dates beyond the calendar like other bad filters."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin

from articles.date_hierarchy import BoundedDateChangeList

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [
        "attempt_time__year=9223372036854775808",  # no datetime holds it (OverflowError)
        "attempt_time__year=9999",  # its end, the start of year 10000, is out of range
        "attempt_time__year=9999&attempt_time__month=12",
        "attempt_time__year=abc",  # refused by Django already
    ],
)
@pytest.mark.parametrize("model", ["accessattempt", "accesslog", "accessfailurelog"])
def test_a_year_beyond_the_calendar_is_refused_like_other_bad_filters(admin_client, model, query):
    response = admin_client.get(f"/admin/axes/{model}/?{query}")
    assert (response.status_code, response.get("Location")) == (302, f"/admin/axes/{model}/?e=1")


def test_a_year_within_the_calendar_is_drilled_into(admin_client):
    response = admin_client.get("/admin/axes/accessattempt/?attempt_time__year=9998")
    assert response.status_code == 200


def test_every_admin_with_a_date_drill_down_gets_the_bounded_changelist(rf):
    registered = [
        admin.site.get_model_admin(m) for m in apps.get_models() if admin.site.is_registered(m)
    ]
    drilled = [model_admin for model_admin in registered if model_admin.date_hierarchy]
    assert {model_admin.model for model_admin in drilled} >= {
        AccessAttempt,
        AccessLog,
        AccessFailureLog,
    }
    for model_admin in drilled:
        assert model_admin.get_changelist(rf.get("/")) is BoundedDateChangeList
