from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "lantern.sharing"

    def ready(self) -> None:
        # Imported here, not at the top: Django imports apps.py before any model is ready.
        from lantern.foundation import access as foundation_access

        from . import access

        # Emergency access: read-only, until the grant expires.
        foundation_access.register("break_glass", access.break_glass_grant)
