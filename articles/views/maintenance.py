"""The maintenance dashboard: what editors should fix, for editors only."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse

from articles.checks.dashboard import checks_report
from articles.maintenance import maintenance_report
from articles.models import Article
from articles.permissions import is_editor
from articles.sources import places_of


def maintenance(request):
    # Anonymous readers are sent to log in; logged-in users who are not editors
    # (staff with the Editors' permission, as in the admin) are refused outright,
    # since logging in again would not help them. The report names drafts.
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if not is_editor(request.user):
        raise PermissionDenied
    places = places_of(Article.objects.all())
    context = {"report": maintenance_report(places), "checks": checks_report(places)}
    return render(request, "articles/maintenance.html", context)
