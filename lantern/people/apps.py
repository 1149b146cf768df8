from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "lantern.people"

    def ready(self) -> None:
        # Imported here, not at the top: Django imports apps.py before any model is ready.
        from lantern.foundation import access as foundation_access

        from . import access

        # An allocated worker sees the child and changes their record.
        foundation_access.register("allocated", access.allocated, changes=True)
