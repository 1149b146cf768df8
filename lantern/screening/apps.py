from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "lantern.screening"

    def ready(self) -> None:
        # Load and validate every framework definition at start-up: a malformed file stops
        # Lantern here, naming the file and the problem, rather than failing mid-screening.
        from . import bichard, registry

        registry.load()
        bichard.load()
