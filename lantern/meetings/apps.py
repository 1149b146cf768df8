from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "lantern.meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        # Imported here, not at the top: Django imports apps.py before any model is ready.
        from lantern.domain.meetings import check_profiles
        from lantern.pathway import queries as pathway_queries

        from . import catalogue

        # Load and validate the meetings data at start-up: a malformed file, or one naming a
        # policy profile that does not exist, stops Lantern here with the problem named.
        check_profiles(catalogue.get(), pathway_queries.shipped_profile_codes())
