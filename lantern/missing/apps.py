from django.apps import AppConfig


class MissingConfig(AppConfig):
    name = "lantern.missing"

    def ready(self) -> None:
        # Load and check the data files at start-up, so a malformed list stops Lantern here.
        from . import lists

        lists.load_all()
