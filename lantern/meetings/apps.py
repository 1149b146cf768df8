from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "lantern.meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        # Load and validate the meetings data at start-up: a malformed file, or one naming a
        # policy profile that does not exist, stops Lantern here with the problem named.
        from lantern.domain.meetings import check_profiles
        from lantern.pathway import policy

        from . import catalogue

        check_profiles(catalogue.get(), policy.file_codes())
