from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from django.contrib import admin
        from django.db.backends.signals import connection_created

        from articles.caching import forget_recent_pages_on_writes
        from articles.date_hierarchy import bound_date_hierarchies
        from articles.search.fallback import register_functions

        forget_recent_pages_on_writes()
        # SQLite's search compares folded text (simplified and traditional Chinese alike).
        connection_created.connect(register_functions, dispatch_uid="search_fold")
        # After the admin's autodiscovery (an earlier app), which registered every admin.
        bound_date_hierarchies(admin.site)
