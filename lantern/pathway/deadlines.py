"""When the front door must decide on a referral. The full policy-profile machinery (working
days, bank holidays, every step of SPEC §4) belongs to the pathway-timescales work; a referral
decision is the same everywhere: within 24 hours of receipt (seed 000 §13; SPEC §4)."""

from datetime import datetime, timedelta

REFERRAL_DECISION_HOURS = 24
REFERRAL_DECISION_BASIS = (
    "Decision within 24 hours of the referral being received (seed 000 §13; SPEC §4)"
)


def referral_decision_due(received_at: datetime) -> tuple[datetime, str]:
    return received_at + timedelta(hours=REFERRAL_DECISION_HOURS), REFERRAL_DECISION_BASIS
