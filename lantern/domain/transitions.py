"""Transitions to adulthood: when to start planning, and up to what age screening goes on.
No Django here.

A young person at risk of sexual exploitation "does not stop needing support and protection
when they reach the age of 18" (seed 001, "Young people aged 18 years and over"; seed 002
§6.5).
"""

from datetime import date

from .ages import Age, age_on

# Lantern prompts transition planning at 17 years 6 months (a local setting, in months): the
# seeds ask for planning before 18 but give no date; six months leaves time for an adult
# safeguarding referral and a pathway plan.
REMINDER_MONTHS = 17 * 12 + 6
# "Children and young people with additional needs require special consideration up to the
# age of 21 years" (seed 001, "Who is this toolkit for?").
ADDITIONAL_NEEDS_AGE = 21
# Care leavers stay on the procedures to 21 by default: Coventry's Route 21 team follows "the
# same procedures" (seed 001, Children looked after), and Wales keeps its duty of care to young
# people entitled to leaving-care services (seed 002 §6.5.1). An area may set a later age
# (25, SPEC §10) as a local setting.
CARE_LEAVER_AGE = 21
ADULT_AGE = 18


def age_reached_on(birth: date, months: int) -> date:
    """The first day on which the child's age (as Lantern shows it, years and months) reaches
    `months` months: the same day of the month, or the 1st of the next month when that month
    is too short (born 31 August: 17 years 6 months on 1 March)."""
    total = birth.month - 1 + months
    year, month = birth.year + total // 12, total % 12 + 1
    try:
        return date(year, month, birth.day)
    except ValueError:
        return date(year + month // 12, month % 12 + 1, 1)


def has_reached(birth: date, months: int, today: date) -> bool:
    age = age_on(birth, today)
    return age.years * 12 + age.months >= months


def describe_months(months: int) -> str:
    return str(Age(months // 12, months % 12))


def screening_continues_to(*, additional_needs: bool, care_leaver: bool,
                           care_leaver_age: int | None) -> int:
    """The age up to which the young person may still be screened and supported through the
    CSE procedures: 21 with additional needs (seed 001); 21 for care leavers (seed 001 Route
    21; seed 002 §6.5.1), or the later age the area sets (SPEC §10: e.g. 25, a local
    setting)."""
    age = ADULT_AGE
    if additional_needs:
        age = max(age, ADDITIONAL_NEEDS_AGE)
    if care_leaver:
        age = max(age, care_leaver_age or CARE_LEAVER_AGE)
    return age
