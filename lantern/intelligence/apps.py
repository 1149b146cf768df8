from django.apps import AppConfig


class IntelligenceConfig(AppConfig):
    name = "lantern.intelligence"
    verbose_name = "Intelligence"

    def ready(self) -> None:
        # Imported here, not at the top: Django imports apps.py before any model is ready.
        from lantern.domain import disruption, triggers
        from lantern.plans import queries as plans_queries

        from . import queries

        # Load and validate the rules' data files at start-up: a malformed file stops Lantern
        # with the file and problem named, rather than failing on the first report.
        triggers.rules()
        disruption.default_factors()
        # Whom a plan's disruption action may name is intelligence's to say.
        plans_queries.provide_subjects(queries.subjects_for)
