"""Linking articles that are translations of each other.

Translations form groups (`TranslationGroup`): an article is in at most one, and
every article of a group is a translation of every other, so a link is symmetric
and transitive by construction. At most one article per language in a group,
so that each `hreflang` names one page. Links are not part of an article's
revisions: reverting an article keeps its translations.

The admin's article form and `import_article --translation-of` write through
`set_translations`, which bumps the `changed_at` of every group it touches: the
page stamps (articles.stamps) read it, so every linked article's page changes.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext

from articles.models import Article, TranslationGroup, TranslationMember


def translations_of(article: Article) -> list[Article]:
    """Every other article of `article`'s group, drafts included, by language."""
    return list(Article.objects.translations_of(article).exclude(pk=article.pk))


def published_translations(group_id: int | None) -> list[Article]:
    """What a page's language switcher lists: the published articles of the group
    (the page's stamp knows it), by language; no query for an article without one."""
    if group_id is None:
        return []
    articles = Article.objects.published().filter(translation_member__group_id=group_id)
    return list(articles.only("slug", "title", "language").order_by("language", "pk"))


def published_translations_of(article: Article) -> list[Article]:
    """The other published articles of `article`'s group, by language, in one query."""
    articles = Article.objects.published().translations_of(article).exclude(pk=article.pk)
    return list(articles.only("slug", "title", "language"))


def same_language(articles: Iterable[Article]) -> tuple[Article, Article] | None:
    """Two of `articles` in one language, if any."""
    seen: dict[str, Article] = {}
    for article in articles:
        if article.language in seen:
            return seen[article.language], article
        seen[article.language] = article
    return None


def clash_message(first: Article, second: Article) -> str:
    return gettext(
        "“%(first)s” and “%(second)s” are both in %(language)s: a group of translations "
        "holds one article per language."
    ) % {"first": first.title, "second": second.title, "language": first.language}


def planned_group(
    article: Article, others: Iterable[Article]
) -> tuple[dict[int, Article], list[int]]:
    """What `set_translations(article, others=others)` would make `article`'s
    translations, by id, and the ids of those it would unlink."""
    others = {other.pk: other for other in others if other.pk != article.pk}
    current = {other.pk: other for other in translations_of(article)}
    added = [pk for pk in others if pk not in current]
    # Transitivity: an article newly linked brings its own translations along.
    pulled = Article.objects.filter(translation_member__group__members__article__in=added)
    final = {**{pk: current[pk] for pk in current if pk in others}, **others}
    final |= {other.pk: other for other in pulled if other.pk != article.pk}
    return final, [pk for pk in current if pk not in final]


@transaction.atomic
def set_translations(article: Article, *, others: Iterable[Article]) -> list[Article]:
    """Make `others`, and the translations each of them already has, exactly the
    translations of the saved `article`. Its translations left out are unlinked
    from it and from those kept, but stay translations of each other (with no
    `others` at all, the article leaves its group). Returns the translations, by
    language. Raises ValidationError, writing nothing, when two of them would
    share a language."""
    final, removed = planned_group(article, others)
    Article.objects.lock_in_order([article.pk, *final, *removed])
    clash = same_language([article, *final.values()])
    if clash:
        raise ValidationError(clash_message(*clash))

    linked = [article.pk, *final]
    touched = set(
        TranslationMember.objects.filter(article__in=[*linked, *removed]).values_list(
            "group_id", flat=True
        )
    )
    if not final:  # it leaves its group; the others stay translations of each other
        TranslationMember.objects.filter(article=article).delete()
    else:
        group = TranslationGroup.objects.filter(members__article=article).first()
        group = group or TranslationGroup.objects.create()
        if len(removed) > 1:  # those unlinked stay translations of each other
            apart = TranslationGroup.objects.create()
            TranslationMember.objects.filter(article__in=removed).update(group=apart)
            touched.add(apart.pk)
        else:
            TranslationMember.objects.filter(article__in=removed).delete()
        TranslationMember.objects.filter(article__in=linked).exclude(group=group).delete()
        taken = set(group.members.values_list("article_id", flat=True))
        TranslationMember.objects.bulk_create(
            TranslationMember(article_id=pk, group=group) for pk in linked if pk not in taken
        )
        touched.add(group.pk)
    # A group of one links nothing: drop it (its article's stamp sees the change).
    TranslationGroup.objects.filter(pk__in=touched).annotate(size=Count("members")).filter(
        size__lt=2
    ).delete()
    TranslationGroup.objects.filter(pk__in=touched).update(changed_at=timezone.now())
    return sorted(final.values(), key=lambda other: (other.language, other.pk))


def link_translation(article: Article, *, to: Article) -> list[Article]:
    """Make the saved `article` a translation of `to` (and of `to`'s translations),
    keeping the translations it has."""
    return set_translations(article, others=[*translations_of(article), to])
