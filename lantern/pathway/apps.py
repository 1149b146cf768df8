from django.apps import AppConfig


class PathwayConfig(AppConfig):
    name = "lantern.pathway"

    def ready(self) -> None:
        # Imported here, not at the top: Django imports apps.py before any model is ready.
        from lantern.foundation import access as foundation_access

        from . import access, policy

        # Load and validate every shipped policy profile at start-up: a malformed file stops
        # Lantern here, naming the file and the problem. (The screening app checks the
        # frameworks each profile names: lantern.screening.apps.)
        policy.load()
        # Whoever's agency recorded a concern about a child sees the child.
        foundation_access.register("concern_by_agency", access.concern_by_agency)
