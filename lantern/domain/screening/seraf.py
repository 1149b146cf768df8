"""SERAF, the Sexual Exploitation Risk Assessment Framework of the All Wales Protocol (SPEC
§3.2; seed 002 §5.2-5.7, §6): vulnerabilities, risk and significant risk indicators read into
four categories, from not at risk to significant risk. No Django."""

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


class Seraf(ReferEveryConcern):
    code = "seraf"
    MEETINGS = {1: NOT_REQUIRED, 2: CONSIDER, 3: REQUIRED, 4: REQUIRED}
    # SPEC §2: in Wales every concern is referred to social services (seed 002 §5.5).
    REFERRAL_ACTIONS = (
        "Refer to social services: every concern that a child is at risk of sexual "
        "exploitation is referred; the social services CSE lead officer and any allocated "
        "social worker are told of the referral (All Wales CSE protocol §5.5)",
        "Social services complete the SERAF risk assessment within 7 working days of the "
        "referral (All Wales CSE protocol §5.6)",
    )
    S47_ACTION = (
        "A section 47 enquiry with CSE presenting: police and social services hold a strategy "
        "discussion without delay (All Wales CSE protocol §5.8)"
    )

    def check_scope(self, given: ScreeningInput) -> None:
        if given.age >= 25:
            # Issue 3 sets the scope; from 18 the pathway plan carries the protection
            # (seed 002 §6.5).
            raise ScreeningInputError(f"age {given.age} is outside SERAF's scope: under 25")

    def suggest(self, framework: Framework, given: ScreeningInput, settings: Settings) -> Outcome:
        vulnerable = of_kind(framework, given.indicators, "vulnerability")
        risks = of_kind(framework, given.indicators, "risk")
        significant = of_kind(framework, given.indicators, "significant_risk")
        v, r, s = len(vulnerable), len(risks), len(significant)
        many_v = int(settings["seraf_multiple_vulnerabilities"])
        many_r = int(settings["seraf_multiple_risk_indicators"])
        counted = (
            f"Ticked: {plural(v, 'vulnerability', 'vulnerabilities')}, "
            f"{plural(r, 'risk indicator')}, {plural(s, 'significant risk indicator')}."
        )
        reading = (
            f"The protocol describes the categories in words, not counts; Lantern reads "
            f"'multiple' as {many_v} or more vulnerabilities and {many_r} or more risk "
            "indicators (SPEC §3.2; this area's settings)."
        )
        if s and (v or r):
            out = Outcome(4, 4, drivers=significant)
            why = (
                f"{wordings(framework, significant)}: a significant risk indicator together with "
                "other vulnerabilities or risk indicators means significant risk (All Wales CSE "
                "protocol §5.7, §6.4.1)."
            )
        elif s:
            out = Outcome(3, 4, drivers=significant)
            why = (
                f"{wordings(framework, significant)}: a significant risk indicator with nothing "
                "else known. The table's significant risk also expects multiple vulnerabilities "
                "and risk indicators, so the suggestion is moderate or significant: find out "
                "more (All Wales CSE protocol §5.7)."
            )
        elif r >= many_r:
            out = Outcome(3, 3, drivers=risks)
            why = (
                f"{wordings(framework, risks)}: multiple risk indicators mean moderate risk "
                "(All Wales CSE protocol §5.7, §6.3)."
            )
        elif r:
            if v >= many_v:
                out = Outcome(2, 3, drivers=risks + vulnerable)
                why = (
                    "One or two risk indicators with multiple vulnerabilities: the table's mild "
                    "risk allows one or two risk indicators, while §6.3 describes moderate risk "
                    "as multiple vulnerabilities with one or more risk indicators, so the "
                    "suggestion is mild or moderate (All Wales CSE protocol §5.7, §6.2, §6.3)."
                )
            else:
                out = Outcome(2, 2, drivers=risks)
                why = (
                    f"{wordings(framework, risks)}: one or two risk indicators mean mild risk "
                    "(All Wales CSE protocol §5.7)."
                )
        elif v >= many_v:
            out = Outcome(1, 2, drivers=vulnerable)
            why = (
                "Multiple vulnerabilities and no risk indicators: not at risk allows "
                "vulnerabilities without risk indicators, while mild risk is described as "
                "multiple vulnerabilities, so the suggestion is not at risk or mild (All Wales CSE "
                "protocol §5.7, §6.1, §6.2)."
            )
        else:
            out = Outcome(1, 1, drivers=vulnerable)
            why = (
                "No risk indicators, and fewer than multiple vulnerabilities: not at risk (All "
                "Wales CSE protocol §5.7, §6.1)."
            )
        out.reasons = [counted, why, reading]
        return out

    def adult_route(self, category: int, given: ScreeningInput) -> bool:
        # seed 002 §5.7: from 18, moderate and significant risk go through the pathway plan,
        # the police public protection unit and adult safeguarding (§6.5).
        return given.age >= 18 and category >= 3

    def adult_actions(self, given: ScreeningInput, adult_route: bool) -> list[str]:
        if given.age < 18:
            return []
        if adult_route:
            return [
                "Address sexual exploitation in the pathway plan or other work plan, with "
                "liaison between social services and the police public protection unit (All "
                "Wales CSE protocol §5.7, §6.5.1)",
                "Consider a referral under adult safeguarding (POVA) arrangements (All Wales CSE "
                "protocol §6.5)",
            ]
        return ["Include information and awareness raising in the pathway plan (All Wales CSE "
                "protocol §6.5.1)"]
