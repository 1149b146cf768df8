from django.apps import AppConfig


class FoundationConfig(AppConfig):
    name = "lantern.foundation"
    label = "foundation"
    verbose_name = "Lantern"
