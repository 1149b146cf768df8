"""The pathway's writes, in three modules: concerns, referrals and the front door's decisions
(`referrals`); the state of each child's pathway and its steps (`state`); the policy profiles
behind their deadlines (`profiles`). Other apps call them from here, with the values they
take (Step, Outcome, Consent, ExitRoute)."""

from ..models import Consent, ExitRoute, Outcome, Step
from .adults import (
    ADULT_WORK,
    open_adult_referral,
    open_for_those_turned_18,
    record_adult_exception,
    record_adult_referral,
)
from .profiles import adopt_profile, save_local_profile
from .referrals import (
    CONCERN_FIELDS,
    DISCUSSION_FIELDS,
    AlreadyDecided,
    AlreadyDiscussed,
    DiscussionError,
    PoliceDecisionMissing,
    ReferralError,
    decide_referral,
    record_concern,
    record_discussion,
    record_police_referral_decision,
    refer,
    take_urgent_route,
)
from .responses import (
    RESPONSE_WORK,
    allowed_outcomes,
    open_responses,
    record_response,
    record_response_exception,
    responses_met_by_meeting,
)
from .state import (
    REVIEW_BASIS,
    STEP_WORK,
    URGENT_ALERT,
    ManagerApprovalNeeded,
    PathwayError,
    advance,
    exit_pathway,
    may_except,
    meeting_held,
    note_event,
    raise_urgent,
    record_meeting_exception,
    record_section_47,
    require_meetings,
    restore_after_merge,
    set_aside_for_merge,
)

__all__ = [
    "CONCERN_FIELDS", "DISCUSSION_FIELDS", "REVIEW_BASIS", "STEP_WORK", "AlreadyDecided",
    "AlreadyDiscussed", "Consent", "DiscussionError", "ExitRoute", "Outcome", "PathwayError",
    "PoliceDecisionMissing", "ReferralError", "Step",
    "adopt_profile", "advance", "decide_referral", "exit_pathway", "note_event",
    "record_concern", "record_discussion", "record_police_referral_decision",
    "record_section_47", "refer", "restore_after_merge", "set_aside_for_merge",
    "save_local_profile", "take_urgent_route", "may_except", "meeting_held",
"record_meeting_exception", "require_meetings",
    "URGENT_ALERT", "ManagerApprovalNeeded", "raise_urgent",
    "RESPONSE_WORK", "allowed_outcomes", "open_responses", "record_response",
    "record_response_exception", "responses_met_by_meeting",
    "ADULT_WORK", "open_adult_referral", "open_for_those_turned_18", "record_adult_exception",
    "record_adult_referral",
]
