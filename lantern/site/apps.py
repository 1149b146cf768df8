from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "lantern.site"
    label = "site"
    verbose_name = "Lantern pages"
