from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "lantern.screening"

    def ready(self) -> None:
        # Imported here, not at the top: Django imports apps.py before any model is ready.
        from lantern.pathway import queries as pathway_queries

        from . import bichard, registry

        # Load and validate every framework definition at start-up: a malformed file stops
        # Lantern here, naming the file and the problem, rather than failing mid-screening.
        registry.load()
        bichard.load()
        # Each policy profile's screening tools must exist: the shipped profiles now, a local
        # profile whenever it is built (lantern.pathway.policy runs the check).
        for profile in pathway_queries.shipped_profiles():
            registry.check_profile(profile, f"profile {profile.code!r}")
        pathway_queries.add_profile_check("screening_frameworks", registry.check_profile)
