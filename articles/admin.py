from django.contrib import admin
from markdownx.admin import MarkdownxModelAdmin
from reversion.admin import VersionAdmin

from articles.models import Argument, Article, Debate, Section, Source


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fields = ["position", "level", "heading", "anchor", "body"]


class ArgumentInline(admin.StackedInline):
    model = Argument
    fk_name = "debate"
    extra = 0
    fields = ["side", "position", "summary", "attributed_to", "body", "responds_to", "slug"]


@admin.register(Article)
class ArticleAdmin(VersionAdmin, MarkdownxModelAdmin):
    list_display = ["title", "slug", "status", "updated_at"]
    list_filter = ["status"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [SectionInline]


@admin.register(Source)
class SourceAdmin(VersionAdmin):
    list_display = ["key", "title", "publisher", "date"]
    list_filter = ["publisher"]
    search_fields = ["key", "title", "authors", "publisher"]


@admin.register(Debate)
class DebateAdmin(VersionAdmin, MarkdownxModelAdmin):
    list_display = ["question", "article", "section"]
    list_filter = ["article"]
    search_fields = ["question", "summary"]
    inlines = [ArgumentInline]
