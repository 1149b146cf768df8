"""What a merge of two records of one child does to the pathway (issue 15, item 2): a child
has one open pathway, so when both records have one, the merged record's is set aside (its work
closed) and the kept record's carries on; undoing the merge restores it. Registered with
`lantern.people.actions` once, by `PathwayConfig.ready()`, so the people app names no feature
app."""

from lantern.people import actions as people_actions

from . import actions
from .models import Pathway


def register() -> None:
    people_actions.register_one_each("pathway.Pathway", people_actions.OneEach(
        current=lambda child: Pathway.objects.filter(child=child, exited_at=None),
        set_aside=actions.set_aside_for_merge, restore=actions.restore_after_merge))
