from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from articles.caching import forget_recent_pages_on_writes

        forget_recent_pages_on_writes()
