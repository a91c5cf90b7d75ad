"""Editing through the real admin with Django's test client, as an editor."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from reversion.models import Version

from articles.models import Article
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
