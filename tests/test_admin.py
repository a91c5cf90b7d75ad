"""Editing through the real admin with Django's test client, as an editor."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from reversion.models import Version

from articles.models import Article, Section, Source
from tests.editing import (
    ADD_URL,
    CHANGE_URL,
    add_section,
    article_form,
    debate_form,
    form_values,
    make_editor,
    set_section,
)
from tests.factories import (
    make_article,
    make_big_article,
    make_section,
    make_source,
    save_revision,
)

pytestmark = pytest.mark.django_db


def revisions(article):
    return Version.objects.get_for_object(article).order_by("revision_id")


def create_article_via_admin(client) -> Article:
    make_source("who", title="WHO report")
    make_source("un", title="UN report")
    data = article_form(None, title="Water", slug="water", lead="Water is life [@who].")
    for n, body in enumerate(["Rivers flow [@un].", "Seas [@who; @un].", "Ice [citation needed]."]):
        add_section(data, heading=f"Part {n + 1}", body=body)
    data["edit_summary"] = "First version"
    response = client.post(ADD_URL, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return Article.objects.get(slug="water")


def test_editor_creates_article_with_sections_and_citations(editor_client):
    article = create_article_via_admin(editor_client)
    assert list(article.sections.values_list("heading", "anchor")) == [
        ("Part 1", "part-1"), ("Part 2", "part-2"), ("Part 3", "part-3"),
    ]  # fmt: skip
    [version] = revisions(article)
    assert version.revision.comment == "First version"
    assert version.revision.user.username == "editor"
    # One revision holds the whole article.
    assert version.revision.version_set.count() == 4
    html = editor_client.get("/wiki/water/").content.decode()
    assert 'id="cite-un-2"' in html


def test_edit_one_section_in_the_article_form_makes_one_revision(editor_client):
    article = create_article_via_admin(editor_client)
    data = article_form(article, edit_summary="Say more about rivers")
    set_section(data, "Part 1", body="Rivers flow to the sea [@un].")
    response = editor_client.post(CHANGE_URL.format(article.pk), data)
    assert response.status_code == 302
    assert article.sections.get(anchor="part-1").body == "Rivers flow to the sea [@un]."
    assert [v.revision.comment for v in revisions(article)] == [
        "First version",
        "Say more about rivers",
    ]


def test_reorder_and_rename_keep_anchors(editor_client):
    article = create_article_via_admin(editor_client)
    data = article_form(article)
    set_section(data, "Part 1", position=3, heading="Rivers")
    set_section(data, "Part 3", position=1, level=3)
    assert editor_client.post(CHANGE_URL.format(article.pk), data).status_code == 302
    assert list(article.sections.values_list("anchor", "heading", "level")) == [
        ("part-3", "Part 3", 3), ("part-2", "Part 2", 2), ("part-1", "Rivers", 2),
    ]  # fmt: skip


def test_delete_a_section_then_revert_brings_it_back(editor_client):
    article = create_article_via_admin(editor_client)
    before = revisions(article).last()
    data = article_form(article, edit_summary="Remove ice")
    data["sections-2-DELETE"] = "on"
    assert editor_client.post(CHANGE_URL.format(article.pk), data).status_code == 302
    assert not article.sections.filter(anchor="part-3").exists()

    revert_url = f"/admin/articles/article/{article.pk}/history/{before.pk}/"
    page = editor_client.get(revert_url)
    assert page.status_code == 200 and "Part 3" in page.content.decode()
    assert not article.sections.filter(anchor="part-3").exists()  # looking changes nothing
    data = form_values(page)  # the revert form shows the old state
    assert data["sections-TOTAL_FORMS"] == "3"
    assert editor_client.post(revert_url, data).status_code == 302
    restored = article.sections.get(anchor="part-3")
    assert restored.body == "Ice [citation needed]."
    assert revisions(article).count() == 3


def test_unknown_citation_key_is_refused_naming_the_key(editor_client):
    article = create_article_via_admin(editor_client)
    data = article_form(article, lead="Water [@nobody-knows; @who].")
    set_section(data, "Part 2", body="Seas [@ghost-source].")
    response = editor_client.post(CHANGE_URL.format(article.pk), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Unknown source key: " in html and "nobody-knows" in html and "ghost-source" in html
    assert "/admin/articles/source/add/?key=ghost-source" in html
    article.refresh_from_db()
    assert article.lead == "Water is life [@who]."
    assert revisions(article).count() == 1


def test_empty_heading_and_duplicate_anchor_and_position_are_refused(editor_client):
    article = create_article_via_admin(editor_client)
    for change, message in [
        ({"heading": "  "}, "This field is required"),
        ({"anchor": "part-2"}, "Please correct the duplicate data for anchor"),
        ({"position": "2"}, "share position 2"),
    ]:
        data = set_section(article_form(article), "Part 1", **change)
        response = editor_client.post(CHANGE_URL.format(article.pk), data)
        assert response.status_code == 200
        assert message in response.content.decode()
    assert revisions(article).count() == 1


def test_citation_needed_is_allowed_and_counted(editor_client):
    article = create_article_via_admin(editor_client)
    data = article_form(article, lead="Water is life [citation needed].")
    response = editor_client.post(CHANGE_URL.format(article.pk), data, follow=True)
    assert "still has 2 “[citation needed]” markers" in response.content.decode()


def test_second_editor_changing_the_same_section_gets_a_conflict_with_text_kept(client):
    first, second = make_editor("ann"), make_editor("bob")
    client.force_login(first)
    article = create_article_via_admin(client)
    opened_by_bob = article_form(article)  # both open the page now
    opened_by_ann = article_form(article, edit_summary="Ann's edit")
    set_section(opened_by_ann, "Part 1", body="Rivers flow north [@un].")
    assert client.post(CHANGE_URL.format(article.pk), opened_by_ann).status_code == 302

    client.force_login(second)
    set_section(opened_by_bob, "Part 1", body="Rivers flow south [@un].")
    response = client.post(CHANGE_URL.format(article.pk), opened_by_bob)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Another editor changed the same text" in html
    assert "Rivers flow <ins>north </ins>[@un]." in html  # the other editor's change, as a diff
    assert "Rivers flow south [@un]." in html  # Bob's text is kept in the form
    assert article.sections.get(anchor="part-1").body == "Rivers flow north [@un]."
    # Having seen the conflict, Bob saves again (the form now stands on Ann's revision).
    retry = form_values(response)
    assert retry["base_revision"] == str(revisions(article).last().revision_id)
    assert client.post(CHANGE_URL.format(article.pk), retry).status_code == 302
    assert article.sections.get(anchor="part-1").body == "Rivers flow south [@un]."


def test_edits_to_different_sections_are_merged_and_reported(client):
    client.force_login(make_editor("ann"))
    article = create_article_via_admin(client)
    opened_by_bob = article_form(article)
    opened_by_ann = set_section(article_form(article), "Part 1", body="Ann's rivers.")
    opened_by_ann["title"] = "Water on Earth"
    assert client.post(CHANGE_URL.format(article.pk), opened_by_ann).status_code == 302

    client.force_login(make_editor("bob"))
    set_section(opened_by_bob, "Part 3", body="Bob's ice.")
    response = client.post(CHANGE_URL.format(article.pk), opened_by_bob, follow=True)
    assert "Another editor saved this article while you were editing" in response.content.decode()
    article.refresh_from_db()
    bodies = dict(article.sections.values_list("anchor", "body"))
    assert (bodies["part-1"], bodies["part-3"]) == ("Ann's rivers.", "Bob's ice.")
    assert article.title == "Water on Earth"  # Bob's stale title did not win
    assert revisions(article).count() == 3


def test_section_deleted_by_another_editor_is_reported_not_crashing(client):
    client.force_login(make_editor("ann"))
    article = create_article_via_admin(client)
    opened_by_bob = set_section(article_form(article), "Part 3", body="Bob's ice.")
    deleting = article_form(article)
    deleting["sections-2-DELETE"] = "on"
    assert client.post(CHANGE_URL.format(article.pk), deleting).status_code == 302
    response = client.post(CHANGE_URL.format(article.pk), opened_by_bob)
    assert response.status_code == 200
    assert "Another editor deleted the section “Part 3”" in response.content.decode()
    assert "Bob&#x27;s ice." in response.content.decode()


def test_a_section_id_of_another_article_is_refused_and_changes_nothing(editor_client):
    article = create_article_via_admin(editor_client)
    other = make_section(make_article(slug="other"), heading="Theirs", body="Their text.")
    data = set_section(article_form(article), "Part 1", body="Hijacked.")
    data["sections-0-id"] = str(other.pk)
    response = editor_client.post(CHANGE_URL.format(article.pk), data)
    assert response.status_code == 200
    assert "Hijacked." in response.content.decode()  # the text is shown back, not lost
    other.refresh_from_db()
    assert other.body == "Their text."
    assert article.sections.get(heading="Part 1").body == "Rivers flow [@un]."
    assert revisions(article).count() == 1


def save_queries(client, article) -> int:
    data = set_section(article_form(article), "Section 1", body=f"Edited [@{article.slug}-s0].")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(CHANGE_URL.format(article.pk), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert article.sections.get(heading="Section 1").body.startswith("Edited")
    return len(queries)


def test_saving_the_article_form_costs_the_same_queries_at_any_size(editor_client):
    small = make_big_article("small", sections=4, sources=3, debates=1)
    large = make_big_article("large", sections=40, sources=30, debates=5)
    for article in (small, large):
        save_revision(article, "Start")
    assert save_queries(editor_client, small) == save_queries(editor_client, large) <= 40


SECTION_URL = "/admin/articles/article/{}/section/{}/"


def section_form(section, **fields) -> dict:
    from articles.revisions import latest_revision_id

    data = {name: getattr(section, name) for name in ["heading", "level", "anchor", "body"]}
    data["base_revision"] = latest_revision_id(section.article)
    return {**data, "edit_summary": "", **fields}


def test_single_section_form_saves_one_revision_of_the_whole_article(editor_client):
    article = create_article_via_admin(editor_client)
    section = article.sections.get(anchor="part-2")
    page = editor_client.get(SECTION_URL.format(article.pk, section.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="preview-context"' in html and "Water is life [@who]." in html
    data = section_form(section, body="Seas are salty [@un].", edit_summary="Salt")
    response = editor_client.post(SECTION_URL.format(article.pk, section.pk), data)
    assert response.status_code == 302 and response["Location"] == "/wiki/water/#part-2"
    latest = revisions(article).last().revision
    assert latest.comment == "Salt"
    assert latest.version_set.count() == 4  # article and all three sections
    assert "Seas are salty" in editor_client.get("/wiki/water/").content.decode()


def test_single_section_form_conflict_and_merge(client):
    client.force_login(make_editor("ann"))
    article = create_article_via_admin(client)
    seas = article.sections.get(anchor="part-2")
    ice = article.sections.get(anchor="part-3")
    bob_seas, bob_ice = section_form(seas), section_form(ice)
    ann = section_form(seas, body="Ann's seas.")
    assert client.post(SECTION_URL.format(article.pk, seas.pk), ann).status_code == 302

    client.force_login(make_editor("bob"))
    refused = client.post(
        SECTION_URL.format(article.pk, seas.pk), {**bob_seas, "body": "Bob's seas."}
    )
    assert refused.status_code == 200
    assert "Bob&#x27;s seas." in refused.content.decode()
    assert "Another editor changed the same text" in refused.content.decode()
    seas.refresh_from_db()
    assert seas.body == "Ann's seas."
    merged = client.post(SECTION_URL.format(article.pk, ice.pk), {**bob_ice, "body": "Bob's ice."})
    assert merged.status_code == 302
    assert dict(article.sections.values_list("anchor", "body"))["part-3"] == "Bob's ice."


def test_edit_links_are_shown_to_editors_only(client):
    article = make_article()
    section = make_section(article, heading="Flow")
    link = f'href="{SECTION_URL.format(article.pk, section.pk)}"'
    assert link not in client.get("/wiki/water/").content.decode()
    client.force_login(make_editor())
    assert link in client.get("/wiki/water/").content.decode()


def test_an_admin_url_with_a_debate_id_that_is_no_number_is_not_an_error(editor_client):
    for action in ("change", "history"):
        response = editor_client.get(f"/admin/articles/debate/abc/{action}/")
        assert response.status_code in {302, 404}


def test_editor_cannot_delete_articles_and_non_staff_cannot_enter(client):
    article = make_article()
    client.force_login(make_editor())
    assert client.get(f"/admin/articles/article/{article.pk}/delete/").status_code == 403
    assert client.get("/admin/articles/source/").status_code == 200
    client.force_login(User.objects.create_user("reader", password="pw"))
    response = client.get("/admin/articles/article/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_rebuttals_are_limited_to_the_same_debate(editor_client):
    from django.core.exceptions import ValidationError

    from tests.factories import make_argument, make_debate

    article = make_article()
    dams, wells = make_debate(article), make_debate(article, slug="wells", question="Wells?")
    own = make_argument(dams, summary="Dams store water")
    other = make_argument(wells, summary="Wells are cheap")
    page = editor_client.get(f"/admin/articles/debate/{dams.pk}/change/").content.decode()
    assert f'<option value="{own.pk}">Dams store water</option>' in page
    assert "Wells are cheap" not in page
    rebuttal = make_argument(dams, side="critic", summary="Dams flood valleys", responds_to=other)
    with pytest.raises(ValidationError, match="same debate"):
        rebuttal.full_clean()


def test_saving_a_debate_makes_a_revision_of_the_whole_article(editor_client):
    from tests.factories import make_argument, make_debate

    article = make_article()
    make_section(article, heading="Flow")
    debate = make_debate(article)
    argument = make_argument(debate)
    data = debate_form(
        debate, argument, question="Should dams be built at all?", edit_summary="Sharper question"
    )
    response = editor_client.post(f"/admin/articles/debate/{debate.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    [version] = revisions(article)
    models = {v.content_type.model for v in version.revision.version_set.all()}
    assert models == {"article", "section", "debate", "argument"}
    assert version.revision.comment == "Sharper question"


DEBATE_URL = "/admin/articles/debate/{}/change/"


@pytest.fixture
def argued(client):
    """A debate with two arguments, its article saved as a revision, and two editors."""
    from tests.factories import make_argument, make_debate

    article = make_article()
    debate = make_debate(article)
    first = make_argument(debate, summary="Dams store water", position=1)
    second = make_argument(debate, side="critic", summary="Dams flood valleys", position=2)
    save_revision(article, "Debate opened")
    editors = []
    for name in ("ann", "bob"):
        editor = type(client)()
        editor.force_login(make_editor(name))
        editors.append(editor)
    return debate, first, second, editors


def open_debate(editor, debate) -> dict:
    """The debate's change form as the editor's browser would submit it."""
    return form_values(editor.get(DEBATE_URL.format(debate.pk)))


def race(argued, anns_change: dict, bobs_change: dict, **follow):
    """Both open the debate; Ann saves her change, then Bob his; Bob's response."""
    debate, _first, _second, (ann, bob) = argued
    anns, bobs = open_debate(ann, debate), open_debate(bob, debate)
    assert anns["base_revision"] == bobs["base_revision"] != "0"
    assert ann.post(DEBATE_URL.format(debate.pk), {**anns, **anns_change}).status_code == 302
    return bob.post(DEBATE_URL.format(debate.pk), {**bobs, **bobs_change}, **follow)


def test_two_editors_changing_different_arguments_are_merged(argued):
    debate, first, second, _editors = argued
    response = race(
        argued,
        {"arguments-0-body": "Reservoirs carry cities through droughts."},
        {"arguments-1-body": "Valleys and villages are drowned.", "question": "More dams?"},
        follow=True,
    )
    assert "Their changes were kept and merged with yours" in response.content.decode()
    first.refresh_from_db(), second.refresh_from_db(), debate.refresh_from_db()
    assert first.body == "Reservoirs carry cities through droughts."
    assert second.body == "Valleys and villages are drowned."
    assert debate.question == "More dams?"


def test_the_same_argument_changed_by_two_editors_is_a_conflict_with_text_kept(argued):
    debate, first, _second, (_ann, bob) = argued
    response = race(
        argued,
        {"arguments-0-body": "Ann's reasons."},
        {"arguments-0-body": "Bob's reasons."},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Another editor changed the same text" in html and "Bob&#x27;s reasons." in html
    first.refresh_from_db()
    assert first.body == "Ann's reasons."
    # The form now stands on Ann's revision: saving Bob's hand merge applies it.
    again = form_values(response)
    again["arguments-0-body"] = "Ann's and Bob's reasons."
    assert bob.post(DEBATE_URL.format(debate.pk), again).status_code == 302
    first.refresh_from_db()
    assert first.body == "Ann's and Bob's reasons."


def test_a_rebuttal_link_set_meanwhile_survives_an_edit_of_the_body(argued):
    _debate, first, second, _editors = argued
    response = race(
        argued,
        {"arguments-1-responds_to": str(first.pk)},
        {"arguments-1-body": "Valleys are drowned."},
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.responds_to_id, second.body) == (first.pk, "Valleys are drowned.")


def test_an_argument_deleted_meanwhile_is_reported_with_the_text_kept(argued):
    debate, _first, second, _editors = argued
    response = race(
        argued, {"arguments-1-DELETE": "on"}, {"arguments-1-body": "Bob's case against."}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Another editor deleted the argument “Dams flood valleys”" in html
    assert "Bob&#x27;s case against." in html
    assert not debate.arguments.filter(pk=second.pk).exists()


def test_two_editors_adding_a_section_with_the_same_heading_both_keep_their_text(client):
    """The second form never saw the first's section: its blank anchor is numbered
    instead of clashing with it (an IntegrityError, a 500, before)."""
    client.force_login(make_editor("ann"))
    article = create_article_via_admin(client)
    opened_by_bob = add_section(article_form(article), heading="Notes", body="Bob's notes.")
    anns = add_section(article_form(article), heading="Notes", body="Ann's notes.")
    assert client.post(CHANGE_URL.format(article.pk), anns).status_code == 302

    client.force_login(make_editor("bob"))
    response = client.post(CHANGE_URL.format(article.pk), opened_by_bob)

    assert response.status_code == 302, response.content.decode()[-3000:]
    notes = dict(article.sections.filter(heading="Notes").values_list("anchor", "body"))
    assert notes == {"notes": "Ann's notes.", "notes-2": "Bob's notes."}


def test_an_anchor_taken_meanwhile_is_a_form_error_that_keeps_the_text(client):
    client.force_login(make_editor("ann"))
    article = create_article_via_admin(client)
    opened_by_bob = add_section(article_form(article), heading="Bob's", anchor="notes", body="B.")
    anns = add_section(article_form(article), heading="Notes", body="Ann's notes.")
    assert client.post(CHANGE_URL.format(article.pk), anns).status_code == 302

    response = client.post(CHANGE_URL.format(article.pk), opened_by_bob)

    assert response.status_code == 200
    assert "Another section of this article already uses “notes”" in response.content.decode()
    assert article.sections.filter(heading="Bob's").count() == 0


def test_swapping_two_anchors_in_one_save_is_refused_not_a_crash(editor_client):
    article = create_article_via_admin(editor_client)
    data = set_section(article_form(article), "Part 1", anchor="part-2", body="Kept text.")
    set_section(data, "Part 2", anchor="part-1")

    response = editor_client.post(CHANGE_URL.format(article.pk), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "“part-2” is the anchor of the section “Part 2” until this save" in html
    assert "Kept text." in html
    assert dict(article.sections.values_list("heading", "anchor"))["Part 1"] == "part-1"


def test_a_tampered_count_of_existing_sections_is_refused_not_a_crash(editor_client):
    article = create_article_via_admin(editor_client)
    data = set_section(article_form(article), "Part 1", body="Tampered.")
    data["sections-INITIAL_FORMS"] = "0"

    response = editor_client.post(CHANGE_URL.format(article.pk), data)

    assert response.status_code == 200
    assert "count of existing sections does not match" in response.content.decode()
    assert article.sections.count() == 3 and revisions(article).count() == 1


def test_a_section_deleted_before_its_form_is_posted_gives_the_text_back(editor_client):
    article = create_article_via_admin(editor_client)
    section = article.sections.get(anchor="part-2")
    data, url = (
        section_form(section, body="My careful seas."),
        SECTION_URL.format(article.pk, section.pk),
    )
    section.delete()

    response = editor_client.post(url, data)

    assert response.status_code == 409
    html = response.content.decode()
    assert "Another editor deleted this section while you were editing" in html
    assert "My careful seas." in html and 'value="Save section"' not in html
    assert editor_client.get(url).status_code == 404
    assert editor_client.post(SECTION_URL.format(article.pk, 2**63), data).status_code == 409


def test_a_debate_section_must_belong_to_the_debates_article(editor_client):
    from tests.factories import make_argument, make_debate

    article, other = make_article(), make_article(slug="ice", title="Ice")
    foreign = make_section(article, heading="Flow")
    debate = make_debate(article)
    data = debate_form(debate, make_argument(debate), summary="Kept.")
    data.update(article=other.pk, section=foreign.pk)  # moved, still shown in "Flow"

    response = editor_client.post(DEBATE_URL.format(debate.pk), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "The section “Flow” is in another article" in html and "Kept." in html
    debate.refresh_from_db()
    assert (debate.article_id, debate.section_id) == (article.pk, None)


def test_a_cited_source_cannot_be_deleted_and_its_citations_are_listed(client):
    client.force_login(User.objects.create_superuser("boss", password="pw"))
    article = create_article_via_admin(client)
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    source = Source.objects.get(key="un")
    url = f"/admin/articles/source/{source.pk}/delete/"

    page = client.get(url).content.decode()
    assert "is still cited" in page
    link = f'<a href="/admin/articles/article/{article.pk}/change/">Water, section “Part 2”</a>'
    assert f"{link} cites [@un]" in page
    assert "cites [@un]" in page and "Part 1" in page  # drafts count too
    assert client.post(url, {"post": "yes"}).status_code == 200
    bulk = {"action": "delete_selected", "_selected_action": [source.pk], "post": "yes"}
    client.post("/admin/articles/source/", bulk)
    assert Source.objects.filter(key="un").exists()

    uncited = make_source("unused")
    assert (
        client.post(f"/admin/articles/source/{uncited.pk}/delete/", {"post": "yes"}).status_code
        == 302
    )
    assert not Source.objects.filter(key="unused").exists()


def test_saves_that_do_not_add_a_missing_key_go_through(editor_client):
    """A source gone while cited (deleted outside the admin) shows as missing on the
    page; it must not block every unrelated edit of the text citing it."""
    article = create_article_via_admin(editor_client)
    Source.objects.filter(key="un").delete()
    data = set_section(article_form(article), "Part 2", body="Seas [@who; @un] are salty.")
    assert editor_client.post(CHANGE_URL.format(article.pk), data).status_code == 302

    adding = set_section(article_form(article), "Part 3", body="Ice [@un].")
    response = editor_client.post(CHANGE_URL.format(article.pk), adding)
    assert response.status_code == 200 and "Unknown source key" in response.content.decode()


def test_a_history_url_with_a_version_of_another_model_or_object_is_not_found(editor_client):
    article = create_article_via_admin(editor_client)
    other = make_article(slug="ice", title="Ice")
    save_revision(other, "Ice")
    section_version = Version.objects.get_for_model(Section).order_by("pk").first()
    ice_version = Version.objects.get_for_object(other).get()
    own = revisions(article).get()
    url = "/admin/articles/article/{}/history/{}/"

    assert editor_client.get(url.format(article.pk, own.pk)).status_code == 200
    assert (
        editor_client.get(url.format(section_version.object_id, section_version.pk)).status_code
        == 404
    )
    assert editor_client.get(url.format(article.pk, ice_version.pk)).status_code == 404
    assert editor_client.get(url.format(article.pk, 2**63)).status_code == 404
    recover = f"/admin/articles/debate/recover/{own.pk}/"
    assert editor_client.get(recover).status_code == 404  # an article's version, not a debate's
