"""Evaluating a screening: the framework suggests, the professional decides (SPEC §3). No
Django.

One module per framework's rules, each with its seed:
- `wm`: the West Midlands regional tool (`wm`, SPEC §3.1, seed 001);
- `seraf`: SERAF of the All Wales Protocol (`seraf`, SPEC §3.2, seed 002);
- `sera`: Stockport's SERA levels (`sera`, SPEC §3.3, seed 000), which shares with SERAF the
  shape of areas that refer every concern (`every_concern`).
Checklists (Bristol's push, pull and risk factors, `bristol`) have no rules: they inform the
professional's judgement and suggest no category, so they have no module; `rules_for` refuses
them. `model` holds the suggestion and its explanation, `common` the input, the local settings
and the shape of a framework's rules, `dispatch` picks the rules and evaluates, and `request`
reads the JSON `lantern screen` takes.

Everything the apps use is importable from `lantern.domain.screening` itself.
"""

from .common import (
    AGE_GAP_OF_CONCERN,
    CONSIDER,
    DEFAULT_SETTINGS,
    NOT_REQUIRED,
    REQUIRED,
    SOCIAL_WORKER,
    FrameworkRules,
    ScreeningInput,
    ScreeningInputError,
    Settings,
    settings_with_defaults,
)
from .dispatch import RULES, check_framework, evaluate, questions, requirements, rules_for
from .every_concern import ReferEveryConcern
from .model import Outcome, Requirements, Suggestion
from .request import REQUEST_FIELDS, input_from_request
from .sera import Sera
from .seraf import Seraf
from .wm import WestMidlands

__all__ = [
    "AGE_GAP_OF_CONCERN", "CONSIDER", "DEFAULT_SETTINGS", "NOT_REQUIRED", "REQUEST_FIELDS",
    "REQUIRED", "RULES", "SOCIAL_WORKER", "FrameworkRules", "Outcome", "ReferEveryConcern",
    "Requirements", "ScreeningInput", "ScreeningInputError", "Sera", "Seraf", "Settings",
    "Suggestion", "WestMidlands", "check_framework", "evaluate", "input_from_request",
    "questions", "requirements", "rules_for", "settings_with_defaults",
]
