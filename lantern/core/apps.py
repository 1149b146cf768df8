from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lantern.core"
    verbose_name = "Lantern"
