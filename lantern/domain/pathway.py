"""The pathway's states and the transitions between them (SPEC §2), as plain rules. The
actions in lantern.pathway.actions ask these before they change a child's pathway. No Django.

    concern ─► screening ─► referral ─► decision ─► assessment ─► strategy discussion
        ─► meeting ─► plan ─► review ─► exit (team around the child, child in need, child
        protection, or closed), each exit with its reason.

Concerns and screenings are events: while a child's pathway is past them, a new concern or
screening is recorded without moving the pathway back. A referral while the pathway is past the
front door opens its own decision without moving the pathway back either. The urgent route
(immediate significant harm) goes from anywhere open straight to a section 47 enquiry and an
urgent strategy discussion (seed 000 §13; seed 003 §11).
"""

from dataclasses import dataclass
from datetime import datetime

STEPS = ("concern", "screening", "referral", "decision", "assessment", "strategy_discussion",
         "meeting", "plan", "review", "exit")
EARLY = frozenset({None, "concern", "screening"})
EXIT_ROUTES = ("team_around_child", "child_in_need", "child_protection", "close")

# Where each state may go next (besides a referral, and the urgent route, from anywhere open).
NEXT: dict[str | None, frozenset[str]] = {
    None: frozenset({"concern", "screening"}),
    "concern": frozenset({"concern", "screening", "plan", "exit"}),
    "screening": frozenset({"concern", "screening", "plan", "exit"}),
    "referral": frozenset({"decision"}),
    "decision": frozenset({"assessment", "strategy_discussion", "exit"}),
    "assessment": frozenset({"strategy_discussion", "meeting", "plan", "exit"}),
    # seed 001: a meeting that decides on a section 47 enquiry becomes a strategy discussion.
    "strategy_discussion": frozenset({"assessment", "meeting", "plan", "exit"}),
    "meeting": frozenset({"strategy_discussion", "plan", "exit"}),
    "plan": frozenset({"review", "meeting", "exit"}),
    # seed 000 §14: a meeting is reconvened if risk rises.
    "review": frozenset({"review", "meeting", "plan", "exit"}),
    "exit": frozenset(),
}

# Steps that are work someone must finish (with a deadline where the profile sets one), as
# opposed to events that are done when they happen.
WORK_STEPS = frozenset({"decision", "assessment", "strategy_discussion", "meeting", "plan",
                        "review"})
# The profile timescale each work step is due by.
STEP_TIMESCALE = {
    "decision": "referral_decision",
    "assessment": "assessment",
    "strategy_discussion": "strategy_discussion",
    "meeting": "meeting",
}
URGENT_TIMESCALE = "urgent_strategy_discussion"


@dataclass(frozen=True)
class Route:
    """Where a front-door decision takes the pathway."""

    to: str
    exit_route: str = ""
    urgent: bool = False


# The front door's outcomes (lantern.pathway.models.Outcome) and where each leads.
OUTCOME_ROUTES = {
    "nfa": Route("exit", exit_route="close"),
    "single_agency": Route("exit", exit_route="close"),
    "early_help": Route("exit", exit_route="team_around_child"),
    "assessment": Route("assessment"),
    "strategy_discussion": Route("strategy_discussion"),
    "section_47": Route("strategy_discussion", urgent=True),
}


class IllegalTransition(ValueError):
    def __init__(self, current: str | None, to: str):
        self.current, self.to = current, to
        super().__init__(f"a pathway at {current or 'its start'} cannot go to {to}")


def is_open(state: str | None) -> bool:
    return state != "exit"


def allowed(current: str | None, to: str, *, urgent: bool = False) -> bool:
    if to not in STEPS:
        return False
    if not is_open(current):
        return False
    if urgent:
        return to == "strategy_discussion"
    if to == "referral":
        return True
    return to in NEXT[current]


def check(current: str | None, to: str, *, urgent: bool = False) -> None:
    if not allowed(current, to, urgent=urgent):
        raise IllegalTransition(current, to)


def referral_moves_pathway(current: str | None) -> bool:
    """A referral moves the pathway to the front door only from its early steps."""
    return current in EARLY


def event_moves_pathway(current: str | None) -> bool:
    """A concern or screening moves the pathway only while it is at its early steps."""
    return current in EARLY


def choices_from(current: str | None) -> list[str]:
    """The next steps a worker may choose on the pathway page, in pathway order. Concerns,
    screenings, referrals and decisions have their own pages."""
    own_pages = {"concern", "screening", "referral", "decision"}
    return [s for s in STEPS if s in NEXT.get(current, ()) and s not in own_pages]


@dataclass(frozen=True)
class ReviewCheck:
    ok: bool
    needed: int = 0
    held: int = 0


def exit_review_check(*, plan_made: bool, reviews_held: int, minimum: int) -> ReviewCheck:
    """Once a plan is agreed, the profile's minimum reviews for the child's category are held
    before the pathway exits (e.g. seed 002 §6.3: at least one review for moderate risk)."""
    if not plan_made or reviews_held >= minimum:
        return ReviewCheck(True, minimum, reviews_held)
    return ReviewCheck(False, minimum, reviews_held)


@dataclass(frozen=True)
class Level:
    """A level of risk decided for a child: by a screening, or set by a meeting."""

    framework: str
    category: int
    at: datetime
    by_meeting: bool = False


def review_level(screening: Level | None, meeting: Level | None) -> Level | None:
    """The level of risk the child's reviews follow (issue 14, item 4). The level is determined
    by the MASE or strategy meeting (seed 001, CSE risk assessment tool), so the latest
    meeting's level stands; a screening since then (a significant change is re-screened at
    once, SPEC §2) moves it only upwards, until a meeting sets it again. With no meeting, the
    latest screening."""
    if meeting is None:
        return screening
    if (screening is not None and screening.at > meeting.at
            and screening.framework == meeting.framework
            and screening.category > meeting.category):
        return screening
    return meeting
