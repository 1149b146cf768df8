from django.apps import AppConfig


class PathwayConfig(AppConfig):
    name = "lantern.pathway"

    def ready(self) -> None:
        # Load and validate every shipped policy profile at start-up: a malformed file stops
        # Lantern here, naming the file and the problem.
        from . import policy

        policy.load()
