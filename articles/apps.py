from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from django.contrib import admin

        from articles.caching import forget_recent_pages_on_writes
        from articles.date_hierarchy import bound_date_hierarchies

        forget_recent_pages_on_writes()
        # After the admin's autodiscovery (an earlier app), which registered every admin.
        bound_date_hierarchies(admin.site)
