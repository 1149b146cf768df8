from django.apps import AppConfig


class PathwayConfig(AppConfig):
    name = "lantern.pathway"

    def ready(self) -> None:
        # Imported here, not at the top: Django imports apps.py before any model is ready.
        from . import merge, policy

        # Load and validate every shipped policy profile at start-up: a malformed file stops
        # Lantern here, naming the file and the problem. (The screening app checks the
        # frameworks each profile names: lantern.screening.apps.)
        policy.load()
        merge.register()
