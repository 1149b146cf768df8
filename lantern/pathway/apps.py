from django.apps import AppConfig


class PathwayConfig(AppConfig):
    name = "lantern.pathway"

    def ready(self) -> None:
        # Imported here, not at the top: Django imports apps.py before any model is ready.
        from . import policy

        # Load and validate every shipped policy profile at start-up: a malformed file stops
        # Lantern here, naming the file and the problem. (The screening app checks the
        # frameworks each profile names: lantern.screening.apps.)
        policy.load()
        _register_merge_rule()


def _register_merge_rule() -> None:
    # A child has one open pathway: when two records of one child are merged and both have
    # one, the merged record's is set aside and the kept record's carries on (issue 15).
    from lantern.people import actions as people_actions

    from . import actions
    from .models import Pathway

    people_actions.register_one_each("pathway.Pathway", people_actions.OneEach(
        current=lambda child: Pathway.objects.filter(child=child, exited_at=None),
        set_aside=actions.set_aside_for_merge, restore=actions.restore_after_merge))
