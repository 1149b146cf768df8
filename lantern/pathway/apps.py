from django.apps import AppConfig


class PathwayConfig(AppConfig):
    name = "lantern.pathway"

    def ready(self) -> None:
        # Load and validate every shipped policy profile at start-up: a malformed file stops
        # Lantern here, naming the file and the problem.
        from lantern.screening import registry

        from . import policy

        policy.load()
        # Each profile's screening tools must exist (the screening app loaded them already).
        registry.check_profiles(policy.file_profile(code) for code in policy.file_codes())
