"""History for readers: page and section history, permalinks, diffs, recent changes, revert."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from reversion.models import Version

from articles.caching import cached_page, lazily
from articles.diff import diff_states
from articles.forms import RevertForm
from articles.ids import in_id_range
from articles.models import Article, Section
from articles.permissions import is_editor
from articles.rendering import render_article
from articles.revisions import (
    history_entries,
    next_revision_id,
    previous_revision_id,
    recent_changes,
    revert_article,
    section_history,
    state_at,
)
from articles.stamps import article_stamp

HISTORY_PAGE_SIZE = 50


def published_article(slug: str) -> Article:
    return get_object_or_404(Article.objects.published(), slug=slug)


def bad_request(request, message: str, status: int = 400):
    return render(request, "400.html", {"message": message}, status=status)


@cached_page(article_stamp)
def article_history(request, slug, stamp):
    """Cached and revalidated like the article page: every new revision changes the
    article's stamp, so anonymous readers are given a stored page until then."""
    article = get_object_or_404(Article.objects.published(), pk=stamp.article_id)
    versions = (
        Version.objects.get_for_object(article)
        .select_related("revision__user")
        # What the rows show; their sizes come from the stored JSON (outlines_at).
        .only("revision__date_created", "revision__comment", "revision__user__username")
        .order_by("-revision_id")
    )
    page = Paginator(versions, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    entries = history_entries(article, [version.revision for version in page])
    context = {
        "article": article,
        "page": page,
        "entries": entries,
        "can_revert": is_editor(request.user),
    }
    return render(request, "articles/history.html", context)


def revision_or_404(article: Article, revision_id: int):
    state = state_at(article, revision_id)
    if state is None:
        raise Http404("This article has no such revision.")
    return state


@cached_page(article_stamp)
def article_revision(request, slug, revision_id, stamp):
    """The article as it was. Its body depends on the revision and the sources only
    (a fragment keyed by the library's stamp), so an edit of the article does not
    render its old revisions again; the page around it (newer-revision link) does."""
    article = get_object_or_404(Article.objects.published(), pk=stamp.article_id)
    state = revision_or_404(article, revision_id)
    context = {
        "article": article,
        "state": state,
        "library_stamp": stamp.library,
        "rendered": lazily(render_article, state),
        "previous_id": previous_revision_id(article, revision_id),
        "next_id": next_revision_id(article, revision_id),
    }
    return render(request, "articles/revision.html", context)


def parse_revision_ids(request):
    """The `from` and `to` ids, or a message saying what is wrong with them; a number
    no revision id can be is a 404 before it reaches the database."""
    try:
        old, new = int(request.GET["from"]), int(request.GET["to"])
    except KeyError:
        return None, _("Choose two revisions to compare: the URL needs ?from=…&to=….")
    except ValueError:
        return None, _("Revision ids are whole numbers.")
    if not (in_id_range(old) and in_id_range(new)):
        raise Http404("This article has no such revision.")
    if old > new:
        return None, _("“from” must be the older revision; swap the two ids.")
    return (old, new), None


def article_diff(request, slug):
    article = published_article(slug)
    ids, problem = parse_revision_ids(request)
    if problem:
        return bad_request(request, problem)
    old, new = (revision_or_404(article, revision_id) for revision_id in ids)
    return render(
        request,
        "articles/diff.html",
        {"article": article, "old": old, "new": new, "diff": diff_states(old, new)},
    )


def section_history_view(request, slug, anchor):
    article = published_article(slug)
    history = section_history(article, anchor)
    if history is None:
        raise Http404("This article has never had a section with that anchor.")
    current = Section.objects.filter(pk=history.section_id, article=article).first()
    if current and current.anchor != anchor:
        return redirect("articles:section-history", slug=slug, anchor=current.anchor)
    page = Paginator(history.entries, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "articles/section_history.html",
        {"article": article, "history": history, "page": page, "section": current},
    )


def recent(request):
    changes = recent_changes(Article.objects.published(), limit=100)
    return render(request, "articles/recent.html", {"changes": changes})


def revert(request, slug, revision_id):
    """Editors restore an old revision; the form asks for a summary."""
    if not is_editor(request.user):
        raise PermissionDenied
    article = published_article(slug)
    state = revision_or_404(article, revision_id)
    form = RevertForm(request.POST or None)
    if form.is_valid():
        revert_article(
            article, state.revision, user=request.user, summary=form.cleaned_data["summary"]
        )
        messages.success(
            request,
            _("Restored the article as it was at revision %(revision)s.")
            % {"revision": revision_id},
        )
        return redirect(reverse("articles:history", args=[slug]))
    context = {"article": article, "state": state, "form": form}
    return render(request, "articles/revert.html", context)
