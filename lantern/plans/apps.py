from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "lantern.plans"
    verbose_name = "Plans"

    def ready(self) -> None:
        # Imported here, not at the top: Django imports apps.py before any model is ready.
        from . import catalogue

        # Load and validate the plans data (kinds of action, disruption tactics, outcome
        # measures) at start-up: a malformed file stops Lantern here with the problem named.
        catalogue.get()
