"""Which screening frameworks a policy profile uses (SPEC §4): exactly one categorising tool,
and any checklists shown alongside it. A pure check of the codes a profile names against the
frameworks that exist, so the one rule serves start-up, a local profile being saved and the
screening page alike (lantern.screening.registry calls it)."""

from collections.abc import Iterable, Mapping

from .frameworks import Framework, FrameworkError


def split(codes: Iterable[str], frameworks: Mapping[str, Framework],
          where: str) -> tuple[Framework, list[Framework]]:
    """The categorising framework and the checklists, from `frameworks` (by code). Raises
    FrameworkError naming `where` and the problem."""
    codes = list(codes)
    missing = [code for code in codes if code not in frameworks]
    if missing:
        raise FrameworkError(f"{where} names unknown frameworks {missing}")
    tools = [code for code in codes if frameworks[code].kind == "categorising"]
    if len(tools) != 1:
        raise FrameworkError(f"{where} must name exactly one categorising framework, not {tools}")
    return frameworks[tools[0]], [frameworks[code] for code in codes
                                  if frameworks[code].kind == "checklist"]
