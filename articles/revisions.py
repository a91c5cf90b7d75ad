"""What django-reversion stored: the state of an article at a revision.

A revision of an article holds the article and, through `follow`, all its
sections, debates and arguments, so any revision can be read back whole.
"""

from reversion.models import Version

SECTION_FIELDS = ("heading", "level", "anchor", "body", "position")
ARTICLE_FIELDS = ("title", "slug", "status", "lead")


def latest_revision_id(article) -> int:
    """The newest revision holding `article`, or 0 when it has none yet."""
    if article is None or article.pk is None:
        return 0
    return (
        Version.objects.get_for_object(article)
        .order_by("-revision_id")
        .values_list("revision_id", flat=True)
        .first()
        or 0
    )


def saved_fields(revision_id: int, model) -> dict[int, dict]:
    """Field values of every `model` object saved in a revision, by primary key."""
    versions = Version.objects.get_for_model(model).filter(revision_id=revision_id)
    return {int(version.object_id): version.field_dict for version in versions}
