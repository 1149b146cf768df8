from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "lantern.site"
    label = "site"
    verbose_name = "Lantern pages"

    def ready(self) -> None:
        # Imported here, not at the top: Django imports apps.py before any model is ready.
        from . import draft_subjects

        # Which children a draft's page is about, so a draft is withheld from its author once
        # their access to the child ends (lantern.foundation.drafts.may_read).
        draft_subjects.register()
