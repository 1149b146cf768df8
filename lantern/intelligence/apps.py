from django.apps import AppConfig


class IntelligenceConfig(AppConfig):
    name = "lantern.intelligence"
    verbose_name = "Intelligence"

    def ready(self) -> None:
        # Load and validate the rules' data files at start-up: a malformed file stops Lantern
        # with the file and problem named, rather than failing on the first report.
        from lantern.domain import disruption, triggers

        triggers.rules()
        disruption.default_factors()
