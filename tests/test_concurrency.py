"""Editors saving one article at the same moment, through the real admin, on PostgreSQL.

Every thread has its own test client and database connection; a barrier starts
them together, so the article row lock in articles.merging.EditBase decides the
order. Whatever the order: no save is lost, each is applied or refused with a
conflict, and every revision holds exactly the state its save wrote.
"""

import threading
from collections import Counter

import pytest
import reversion
from django.db import connection, connections, transaction
from django.test import Client
from reversion.models import Version

from articles.admin import ArticleAdmin
from articles.forms import ArticleForm, SectionForm
from articles.models import Article, Section
from articles.revisions import current_state, state_at
from tests.editing import (
    CHANGE_URL,
    add_section,
    article_form,
    debate_form,
    form_values,
    make_editor,
    set_section,
)
from tests.factories import make_argument, make_article, make_debate, make_section, save_revision
from tests.locks import sessions_waiting_for_me

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises writers itself, so saves never overlap",
    ),
    # Committed for real, so threads see each other's saves; the serialized rollback
    # restores the migrated rows (content types, Editors group) afterwards, which a
    # plain flush would recreate with new ids under later serialized-rollback tests.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EDITORS = 6
CONFLICT = "Another editor changed the same text"
SECTION_URL = "/admin/articles/article/{}/section/{}/"


def run_together(*calls, timeout: float = 60):
    """Run each call in its own thread, released at once; return their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # re-raised in the test's thread below
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        assert not thread.is_alive(), "a save hung"
    for result in results:
        if isinstance(result, Exception):
            raise result
    return results


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def snapshot(state) -> dict:
    """What an article state holds, as plain values that compare by equality."""
    return {
        "article": {name: getattr(state.article, name) for name in ArticleForm.Meta.fields},
        "sections": {
            section.pk: {name: getattr(section, name) for name in SectionForm.Meta.fields}
            for section in state.sections
        },
        "debates": {
            debate.pk: (
                debate.question,
                sorted((a.pk, a.summary, a.body) for a in debate.arguments),
            )
            for debate in state.debates
        },
    }


def new_revisions(article, after: int) -> list[int]:
    ids = Version.objects.get_for_object(article).filter(revision_id__gt=after)
    return list(ids.order_by("revision_id").values_list("revision_id", flat=True))


def page_state(article) -> dict:
    """The article as the database holds it now (not as the test's instance remembers)."""
    return snapshot(current_state(Article.objects.get(pk=article.pk)))


def assert_latest_revision_is_the_page(article):
    """The newest revision holds exactly what the database holds now."""
    [latest] = new_revisions(article, 0)[-1:]
    assert snapshot(state_at(article, latest)) == page_state(article)


@pytest.fixture
def article():
    article = make_article(lead="Water is wet.")
    for n in range(1, EDITORS + 1):
        make_section(article, heading=f"Part {n}", body=f"Text {n}.")
    save_revision(article, "Start")
    return article


def post_edit(client, article, data):
    return client.post(CHANGE_URL.format(article.pk), data)


def test_same_section_saved_at_once_one_wins_the_rest_get_a_conflict(article):
    start = new_revisions(article, 0)[-1]
    opened = []
    for n in range(EDITORS):
        data = article_form(article, edit_summary=f"editor {n}")
        opened.append(set_section(data, "Part 1", body=f"Rivers, by editor {n}."))
    clients = [logged_in(make_editor(f"editor{n}")) for n in range(EDITORS)]

    responses = run_together(
        *(lambda c=c, d=d: post_edit(c, article, d) for c, d in zip(clients, opened, strict=True))
    )

    assert Counter(r.status_code for r in responses) == {302: 1, 200: EDITORS - 1}
    winner = next(n for n, r in enumerate(responses) if r.status_code == 302)
    for n, response in enumerate(responses):
        if n != winner:
            html = response.content.decode()
            assert CONFLICT in html and f"Rivers, by editor {n}." in html  # their text kept
    assert article.sections.get(anchor="part-1").body == f"Rivers, by editor {winner}."
    [saved] = new_revisions(article, start)
    state = state_at(article, saved)
    assert state.revision.comment == f"editor {winner}"
    assert snapshot(state) == page_state(article)


def test_different_sections_saved_at_once_are_all_applied_one_revision_each(article):
    start = new_revisions(article, 0)[-1]
    before = page_state(article)
    opened = [
        set_section(article_form(article, edit_summary=f"part {n}"), f"Part {n}", body=f"New {n}.")
        for n in range(1, EDITORS + 1)
    ]
    clients = [logged_in(make_editor(f"editor{n}")) for n in range(EDITORS)]

    responses = run_together(
        *(lambda c=c, d=d: post_edit(c, article, d) for c, d in zip(clients, opened, strict=True))
    )

    assert [r.status_code for r in responses] == [302] * EDITORS
    saved = new_revisions(article, start)
    assert len(saved) == EDITORS
    # Replay the saves in the order they committed: each revision is its
    # predecessor plus that editor's one change, nothing more, nothing less.
    expected = before
    pks = {s.heading: s.pk for s in article.sections.all()}
    for revision_id in saved:
        state = state_at(article, revision_id)
        n = int(state.revision.comment.removeprefix("part "))
        expected["sections"][pks[f"Part {n}"]]["body"] = f"New {n}."
        assert snapshot(state) == expected, f"revision {revision_id} ({state.revision.comment})"
    assert page_state(article) == expected


def test_two_editors_adding_a_section_with_the_same_heading_at_once_both_keep_it(article):
    """Neither form shows the other's new section; the second to take the article lock
    numbers its blank anchor instead of failing on the unique anchor (it was a 500)."""
    opened = [
        add_section(article_form(article, edit_summary=f"n{n}"), heading="Notes", body=f"N{n}.")
        for n in range(2)
    ]
    clients = [logged_in(make_editor(f"editor{n}")) for n in range(2)]

    responses = run_together(
        *(lambda c=c, d=d: post_edit(c, article, d) for c, d in zip(clients, opened, strict=True))
    )

    assert [r.status_code for r in responses] == [302, 302]
    notes = dict(article.sections.filter(heading="Notes").values_list("body", "anchor"))
    assert set(notes) == {"N0.", "N1."} and sorted(notes.values()) == ["notes", "notes-2"]
    assert_latest_revision_is_the_page(article)


def append_until_saved(client, article, line: str, attempts: int = 50) -> int:
    """Open the change form, append a line to Part 1, save; reopen and retry on a conflict."""
    for attempt in range(1, attempts + 1):
        data = form_values(client.get(CHANGE_URL.format(article.pk)))
        body = data["sections-0-body"].replace("\r\n", "\n")
        data.update({"sections-0-body": f"{body}\n{line}", "edit_summary": line})
        response = post_edit(client, article, data)
        if response.status_code == 302:
            return attempt
        assert CONFLICT in response.content.decode(), response.content.decode()[:2000]
    raise AssertionError(f"{line} not saved after {attempts} attempts")


def test_editors_retrying_after_conflicts_lose_no_line(article):
    start = new_revisions(article, 0)[-1]
    per_editor = 3
    clients = [logged_in(make_editor(f"editor{n}")) for n in range(4)]

    def editor(n):
        client = clients[n]
        return [append_until_saved(client, article, f"line {n}.{k}") for k in range(per_editor)]

    attempts = run_together(*(lambda n=n: editor(n) for n in range(len(clients))))

    lines = article.sections.get(anchor="part-1").body.split("\n")
    expected = {f"line {n}.{k}" for n in range(len(clients)) for k in range(per_editor)}
    assert set(lines[1:]) == expected and len(lines) == 1 + len(expected)
    saved = new_revisions(article, start)
    assert len(saved) == len(expected)  # one revision per applied save, none for refusals
    previous = ["Text 1."]
    for revision_id in saved:
        state = state_at(article, revision_id)
        body = next(s.body for s in state.sections if s.anchor == "part-1").split("\n")
        assert body == [*previous, state.revision.comment]  # exactly that save's line added
        previous = body
    assert sum(sum(a) for a in attempts) > len(expected), "no save ever had to retry"


def test_a_save_committed_while_the_form_is_read_is_not_overwritten(article, monkeypatch):
    """The form's base revision is noted before its text is read: were it read after,
    a save committed in between would look already seen, and be written over."""
    render = ArticleAdmin.render_change_form
    ann = logged_in(make_editor("ann"))

    def save_meanwhile(self, request, context, *args, **kwargs):
        monkeypatch.setattr(ArticleAdmin, "render_change_form", render)
        other = set_section(article_form(article), "Part 1", body="Saved meanwhile.")
        [saved] = run_together(lambda: post_edit(ann, article, other))
        assert saved.status_code == 302
        return render(self, request, context, *args, **kwargs)

    monkeypatch.setattr(ArticleAdmin, "render_change_form", save_meanwhile)
    bob = logged_in(make_editor("bob"))
    data = form_values(bob.get(CHANGE_URL.format(article.pk)))
    assert data["sections-0-body"] == "Text 1."  # read before Ann's save
    data["sections-1-body"] = "Bob's part 2."

    assert post_edit(bob, article, data).status_code == 302
    bodies = dict(article.sections.values_list("anchor", "body"))
    assert (bodies["part-1"], bodies["part-2"]) == ("Saved meanwhile.", "Bob's part 2.")
    assert_latest_revision_is_the_page(article)


def states_for_reverts(article):
    """Three revisions that differ in text, in which sections exist, and in a debate."""
    debate = make_debate(article)
    make_argument(debate, summary="Dams store water")
    first = save_revision(article, "First", lead="First lead.")
    extra = make_section(article, heading="Extra", body="Added later.")
    second = save_revision(article, "Second", lead="Second lead.", sections={"part-1": "B."})
    Section.objects.filter(anchor="part-2").delete()
    extra.delete()
    make_argument(debate, side="critic", summary="Dams flood valleys")
    third = save_revision(article, "Third", lead="Third lead.", sections={"part-1": "C."})
    return first, second, third


def test_two_simultaneous_reverts_each_restore_their_revision(article):
    first, second, third = states_for_reverts(article)
    expected = {
        first: snapshot(state_at(article, first)),
        second: snapshot(state_at(article, second)),
    }
    assert expected[first] != expected[second]
    client_a, client_b = logged_in(make_editor("ann")), logged_in(make_editor("bob"))

    responses = run_together(
        lambda: client_a.post(f"/wiki/water/revision/{first}/revert/", {"summary": "a"}),
        lambda: client_b.post(f"/wiki/water/revision/{second}/revert/", {"summary": "b"}),
    )

    assert [r.status_code for r in responses] == [302, 302]
    reverts = new_revisions(article, third)
    assert len(reverts) == 2
    for revision_id in reverts:
        state = state_at(article, revision_id)
        target = (
            first if state.revision.comment.startswith(f"Reverted to revision {first} ") else second
        )
        assert snapshot(state) == expected[target]
    assert_latest_revision_is_the_page(article)


def test_revert_and_edit_at_once_apply_in_some_order_and_lose_nothing(article):
    first, _second, third = states_for_reverts(article)
    editing = set_section(article_form(article, edit_summary="edit"), "Part 3", body="Edited 3.")
    client_a, client_b = logged_in(make_editor("ann")), logged_in(make_editor("bob"))

    revert, edit = run_together(
        lambda: client_a.post(f"/wiki/water/revision/{first}/revert/", {"summary": "back"}),
        lambda: post_edit(client_b, article, editing),
    )

    # Part 3 is the same in every revision, so the edit merges even after the revert.
    assert (revert.status_code, edit.status_code) == (302, 302), edit.content.decode()[:2000]
    reverted, edited = (state_at(article, pk) for pk in new_revisions(article, third))
    if edited.revision.comment != "edit":
        reverted, edited = edited, reverted
    restored = snapshot(state_at(article, first))
    if reverted.revision.pk > edited.revision.pk:
        # The revert came second: it restores the old revision whole, as asked.
        assert snapshot(reverted) == restored
    else:
        # The edit came second: the reverted state plus the edit's one change.
        part3 = next(s.pk for s in reverted.sections if s.anchor == "part-3")
        restored["sections"][part3]["body"] = "Edited 3."
        assert snapshot(edited) == restored
    assert_latest_revision_is_the_page(article)


def test_single_section_save_keeps_a_reorder_committed_while_it_waited(article):
    """The section form reads its section before taking the lock; a reorder that
    commits in between must survive its save (it used to be written back)."""
    part2 = article.sections.get(anchor="part-2")
    data = {
        "heading": part2.heading, "level": part2.level, "anchor": part2.anchor,
        "body": "Edited alone.", "edit_summary": "alone",
        "base_revision": new_revisions(article, 0)[-1],
    }  # fmt: skip
    editor = logged_in(make_editor("bob"))
    result = {}
    thread = threading.Thread(
        target=lambda: (
            result.update(r=editor.post(SECTION_URL.format(article.pk, part2.pk), data)),
            connections.close_all(),
        )
    )
    with transaction.atomic():
        with reversion.create_revision():
            Article.objects.select_for_update().get(pk=article.pk)
            Section.objects.filter(pk=part2.pk).update(position=99)
            article.save()
            reversion.set_comment("reorder")
        thread.start()
        sessions_waiting_for_me()
    thread.join(30)

    assert result["r"].status_code == 302, result["r"].content.decode()[:2000]
    part2.refresh_from_db()
    assert (part2.position, part2.body) == (99, "Edited alone.")
    assert_latest_revision_is_the_page(article)


def test_debate_save_waits_for_an_article_save_so_its_revision_is_whole(article):
    """A debate's revision holds the whole article; saved while an article edit is
    uncommitted, it used to store the article as it was before that edit."""
    debate = make_debate(article)
    argument = make_argument(debate)
    save_revision(article, "With debate")
    data = debate_form(
        debate, argument, question="Should dams be built at all?", edit_summary="Sharper question"
    )
    editor = logged_in(make_editor("bob"))
    result = {}
    thread = threading.Thread(
        target=lambda: (
            result.update(r=editor.post(f"/admin/articles/debate/{debate.pk}/change/", data)),
            connections.close_all(),
        )
    )
    with transaction.atomic():
        with reversion.create_revision():
            Article.objects.select_for_update().get(pk=article.pk)
            article.lead = "Lead of the uncommitted edit."
            article.save()
            reversion.set_comment("article edit")
        thread.start()
        thread.join(2)  # without the lock the debate save finishes here, unordered
        if thread.is_alive():
            sessions_waiting_for_me()
    thread.join(30)

    assert result["r"].status_code == 302, result["r"].content.decode()[-2000:]
    assert_latest_revision_is_the_page(article)
    latest = state_at(article, new_revisions(article, 0)[-1])
    assert latest.article.lead == "Lead of the uncommitted edit."
    assert latest.debates[0].question == "Should dams be built at all?"


def test_different_arguments_saved_at_once_are_all_applied(article):
    debate = make_debate(article)
    arguments = [make_argument(debate, summary=f"Point {n}", position=n) for n in range(4)]
    save_revision(article, "With debate")
    opened = [
        debate_form(debate, argument, **{"arguments-0-body": f"Reason {n}.", "edit_summary": n})
        for n, argument in enumerate(arguments)
    ]
    clients = [logged_in(make_editor(f"editor{n}")) for n in range(len(arguments))]

    responses = run_together(
        *(
            lambda c=c, d=d: c.post(f"/admin/articles/debate/{debate.pk}/change/", d)
            for c, d in zip(clients, opened, strict=True)
        )
    )

    assert [r.status_code for r in responses] == [302] * len(arguments)
    bodies = sorted(debate.arguments.values_list("body", flat=True))
    assert bodies == [f"Reason {n}." for n in range(len(arguments))]
    assert_latest_revision_is_the_page(article)


@pytest.mark.parametrize("method", ["get", "post"])
def test_admin_revert_page_waits_for_an_article_save_in_flight(article, method):
    """django-reversion's revert page rewrites the sections (to show its form too,
    then rolls back) before its form takes the article lock; an article save in
    flight that then wrote a section deadlocked with it."""
    first = Version.objects.get_for_object(article).get()
    save_revision(article, "Second", lead="Second lead.")
    editor = logged_in(make_editor("bob"))
    url = f"/admin/articles/article/{article.pk}/history/{first.pk}/"
    data = form_values(editor.get(url))
    result = {}
    thread = threading.Thread(
        target=lambda: (
            result.update(r=getattr(editor, method)(url, data if method == "post" else None)),
            connections.close_all(),
        )
    )
    with transaction.atomic(), reversion.create_revision():
        Article.objects.select_for_update().get(pk=article.pk)
        thread.start()
        sessions_waiting_for_me()
        part = article.sections.get(anchor="part-3")
        part.body = "Saved while the revert waited."
        part.save()
        article.save()
    thread.join(30)

    assert result["r"].status_code == {"get": 200, "post": 302}[method]
    saved = new_revisions(article, first.revision_id)[1]  # after "Second"
    assert state_at(article, saved).sections[2].body == "Saved while the revert waited."
    # A revert restores its revision whole, after the save, which stays in history.
    restored = "Text 3." if method == "post" else "Saved while the revert waited."
    assert page_state(article)["sections"][part.pk]["body"] == restored
    assert_latest_revision_is_the_page(article)


def test_debates_moved_in_opposite_directions_wait_instead_of_deadlocking(article):
    """A move locked the debate's old article first and its new one at the save; two
    opposite moves could hold one each and deadlock. Both are locked in id order."""
    other = make_article(slug="ice", title="Ice")
    first, second = sorted([article, other], key=lambda a: a.pk)
    debate = make_debate(second)
    argument = make_argument(debate)
    save_revision(second, "With debate")
    editor = logged_in(make_editor("bob"))
    data = debate_form(debate, argument, article=first.pk)
    result = {}
    thread = threading.Thread(
        target=lambda: (
            result.update(r=editor.post(f"/admin/articles/debate/{debate.pk}/change/", data)),
            connections.close_all(),
        )
    )
    with transaction.atomic():  # as the opposite move does: `first`, then `second`
        Article.objects.select_for_update().get(pk=first.pk)
        thread.start()
        sessions_waiting_for_me()
        Article.objects.select_for_update().get(pk=second.pk)
    thread.join(30)

    assert result["r"].status_code == 302, result["r"].content.decode()[-2000:]
    debate.refresh_from_db()
    assert debate.article_id == first.pk
