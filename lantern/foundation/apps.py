from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.urls import register_converter

from lantern.foundation import timestamps


class IdConverter:
    """A record's id in a URL: 1 to 18 ASCII digits, so it always fits a 64-bit column. A
    longer number (or any other text) matches no URL and is a 404, never an overflow."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


class FoundationConfig(AppConfig):
    name = "lantern.foundation"
    label = "foundation"
    verbose_name = "Lantern"

    def ready(self) -> None:
        # Every URL names its ids `<id:...>` (lantern/*/urls.py), never Django's unbounded int.
        register_converter(IdConverter, "id")
        # PostgreSQL's times read in C rather than in Python (lantern.foundation.timestamps).
        connection_created.connect(timestamps.use_utc_timestamps,
                                   dispatch_uid="lantern-utc-timestamps")
