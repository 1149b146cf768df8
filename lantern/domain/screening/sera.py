"""Stockport's SERA levels (SPEC §3.3; seed 000 §5, §11, §13-14, the Stockport LSCB sexual
exploitation policy and procedure): level signals, a checklist that informs judgement, and the
criteria that support convening a strategy meeting. No Django."""

from ..frameworks import Framework
from .common import (
    CONSIDER,
    NOT_REQUIRED,
    REQUIRED,
    ScreeningInput,
    ScreeningInputError,
    Settings,
    of_kind,
    plural,
    wordings,
)
from .every_concern import ReferEveryConcern
from .model import Outcome


class Sera(ReferEveryConcern):
    code = "sera"
    MEETINGS = {1: NOT_REQUIRED, 2: CONSIDER, 3: REQUIRED}
    # SPEC §2: a child suspected of suffering sexual exploitation is a child in need and is
    # referred to social care (seed 000 §13).
    REFERRAL_ACTIONS = (
        "Refer to children's social care: a child suspected of suffering sexual exploitation "
        "is a child in need (Stockport CSE procedure §13)",
        "Social care decide within 24 hours and complete an initial assessment within 7 "
        "working days where appropriate (Stockport CSE procedure §13)",
    )
    S47_ACTION = (
        "Concerns at the level of significant harm: a section 47 enquiry and an urgent "
        "strategy meeting or discussion with police (Stockport CSE procedure §13 and flowchart)"
    )

    def check_scope(self, given: ScreeningInput) -> None:
        if given.age >= 18:
            raise ScreeningInputError(
                f"age {given.age} is outside the SERA levels' scope: under 18 (Stockport CSE "
                f"procedure §1)"
            )

    def suggest(self, framework: Framework, given: ScreeningInput, settings: Settings) -> Outcome:
        signals = of_kind(framework, given.indicators, "category")
        checklist = of_kind(framework, given.indicators, "checklist")
        if not signals:
            out = Outcome(1, 1)
            out.reasons.append(
                "No level signals ticked: level 1 is the lowest level (Stockport CSE procedure "
                "§11, level diagram)."
            )
        else:
            level = max(framework.category_of(c) for c in signals)
            drivers = [c for c in signals if framework.category_of(c) == level]
            if len(signals) == 1 and level > 1:
                out = Outcome(level - 1, level, drivers=drivers)
                out.reasons.append(
                    f"{wordings(framework, drivers)} is a level {level} signal and the only "
                    f"signal recorded. The diagram describes level 3 as multiple risk "
                    f"indicators and lower levels as fewer signals, so one signal suggests "
                    f"levels {level - 1} to {level} (Stockport CSE procedure §11, level diagram; "
                    f"SPEC §3.3)."
                )
            else:
                out = Outcome(level, level, drivers=drivers)
                out.reasons.append(
                    f"{plural(len(signals), 'level signal')} recorded; the highest level with "
                    f"a signal present is level {level}, because of: "
                    f"{wordings(framework, drivers)} (Stockport CSE procedure §11, level diagram)."
                )
        out.reasons.append(
            "Levels can fall as well as rise: screen again whenever anything changes (Stockport "
            "CSE procedure §11: movement between levels is not necessarily progressive)."
        )
        if checklist:
            out.prompts.append(
                f"{plural(len(checklist), 'checklist indicator')} recorded: "
                f"{wordings(framework, checklist)}. They inform your judgement and have no "
                "level of their own (Stockport CSE procedure §5)."
            )
        family = [c for c in checklist if framework.indicator(c).group == "sera.f"]
        if family and signals:
            out.prompts.append(
                "Family history is recorded: it can increase the significance of the other "
                "indicators (Stockport CSE procedure §5)."
            )
        if {"sera2.violence_intimidation_fear", "sera3.violence_intimidation_fear"} <= (
            given.indicators
        ):
            out.prompts.append(
                "'Experiencing violence, intimidation and fear' is ticked at both level 2 and "
                "level 3; the procedure uses the same words at both levels. Tick the one that fits "
                "what the child is experiencing."
            )
        met = [
            criterion.wording for criterion in framework.meeting_criteria
            if set(criterion.indicators) & given.indicators
            or any(given.fact(fact) for fact in criterion.facts)
        ]
        if met:
            out.prompts.append(
                "Present among the criteria that support convening a CSE strategy meeting "
                f"(none is required): {'; '.join(met)}. Weigh the child's age too (Stockport CSE "
                f"procedure §14)."
            )
        return out
