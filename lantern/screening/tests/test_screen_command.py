"""`lantern screen --framework CODE`, the CLI contract of issue 3: one JSON object in, exactly
one JSON object out and nothing else on stdout; bad input exits non-zero naming the value."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

LANTERN = Path(sys.executable).parent / "lantern"
CONTRACT_KEYS = {"framework", "version", "suggested", "floor", "requires_referral",
                 "requires_social_worker_rescreen", "strategy_meeting", "adult_route",
                 "reasons", "actions"}


def screen(framework: str, data) -> dict:
    out = io.StringIO()
    raw = data if isinstance(data, str) else json.dumps(data)
    call_command("screen", framework=framework, stdin=io.StringIO(raw), stdout=out)
    return json.loads(out.getvalue())


def run(args: list[str], stdin: str, tmp_path) -> subprocess.CompletedProcess:
    """The installed command in a clean environment: no DEBUG, no SECRET_KEY, and a database
    that does not exist, so it proves the contract needs none of them."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "DJANGO_SETTINGS_MODULE"}}
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:9/no_such_database"
    env["LANTERN_VAR_DIR"] = str(tmp_path)
    return subprocess.run(
        [str(LANTERN), "screen", *args], input=stdin, capture_output=True, text=True,
        env=env, timeout=60, check=False,
    )


def test_the_issue_example_gives_the_contract_shape():
    result = screen("wm", {"age": 14, "learning_disability": False, "additional_needs": False,
                           "s47_cse": False, "indicators": ["wm1.missing_or_late"],
                           "screener_role": "teacher"})
    assert set(result) == CONTRACT_KEYS
    assert result["framework"] == "wm" and result["version"] == "2015.1"
    assert result["suggested"] == {"min": 1, "max": 1}
    assert result["floor"] is None
    assert result["requires_referral"] is False
    assert result["requires_social_worker_rescreen"] is True
    assert result["strategy_meeting"] == "not_required"
    assert result["adult_route"] is False
    assert result["reasons"] and result["actions"]


def test_only_age_and_indicators_are_required_and_the_screener_defaults_to_social_worker():
    result = screen("wm", {"age": 14, "indicators": ["wm2.vehicles"]})
    assert result["requires_social_worker_rescreen"] is False
    assert result["suggested"] == {"min": 2, "max": 2} and result["strategy_meeting"] == "required"


@pytest.mark.parametrize(("framework", "data", "expected"), [
    # wm: floors (under 13, learning disability with any indicator; s47 with CSE)
    ("wm", {"age": 12, "indicators": ["wm1.despair"]}, ({"min": 2, "max": 2}, 2)),
    ("wm", {"age": 12, "indicators": []}, ({"min": 1, "max": 1}, None)),
    ("wm", {"age": 15, "indicators": ["wm1.despair"], "learning_disability": True},
     ({"min": 2, "max": 2}, 2)),
    ("wm", {"age": 15, "indicators": [], "s47_cse": True}, ({"min": 3, "max": 3}, 3)),
    # seraf: ranges, no floors
    ("seraf", {"age": 15, "indicators": ["seraf.s.missing_overnight"]},
     ({"min": 3, "max": 4}, None)),
    ("seraf", {"age": 15, "indicators": ["seraf.v.low_self_esteem", "seraf.v.domestic_abuse"]},
     ({"min": 1, "max": 2}, None)),
    # sera: one signal at level L > 1 gives L-1 to L
    ("sera", {"age": 15, "indicators": ["sera3.known_perpetrators"]},
     ({"min": 2, "max": 3}, None)),
])
def test_suggested_range_and_floor(framework, data, expected):
    result = screen(framework, data)
    assert (result["suggested"], result["floor"]) == expected
    assert result["suggested"]["min"] >= (result["floor"] or 0)


@pytest.mark.parametrize(("framework", "data", "referral", "meeting"), [
    ("wm", {"age": 14, "indicators": ["wm1.despair"]}, False, "not_required"),
    ("wm", {"age": 14, "indicators": ["wm3.rape"]}, True, "required"),
    ("seraf", {"age": 14, "indicators": []}, False, "not_required"),
    ("seraf", {"age": 14, "indicators": ["seraf.v.low_self_esteem"]}, True, "not_required"),
    ("seraf", {"age": 14, "indicators": ["seraf.r.drugs"]}, True, "consider"),
    ("seraf", {"age": 14, "indicators": ["seraf.s.sex_work_areas"]}, True, "required"),
    ("sera", {"age": 14, "indicators": ["sera.f.neglect"]}, True, "not_required"),
    ("sera", {"age": 14, "indicators": ["sera2.hotspots"]}, True, "consider"),
    ("sera", {"age": 14, "indicators": ["sera3.known_perpetrators"]}, True, "required"),
])
def test_referral_and_strategy_meeting_per_framework(framework, data, referral, meeting):
    result = screen(framework, data)
    assert (result["requires_referral"], result["strategy_meeting"]) == (referral, meeting)


@pytest.mark.parametrize(("framework", "data", "adult"), [
    ("wm", {"age": 19, "indicators": ["wm2.sti"], "additional_needs": True}, True),
    # Issue 14: a learning disability is an additional need at 18-20.
    ("wm", {"age": 19, "indicators": ["wm2.sti"], "learning_disability": True}, True),
    ("wm", {"age": 17, "indicators": ["wm2.sti"]}, False),
    ("seraf", {"age": 19, "indicators": ["seraf.s.missing_overnight"]}, True),
    ("seraf", {"age": 19, "indicators": ["seraf.r.drugs"]}, False),
    ("seraf", {"age": 17, "indicators": ["seraf.s.missing_overnight"]}, False),
])
def test_adult_route(framework, data, adult):
    assert screen(framework, data)["adult_route"] is adult


@pytest.mark.parametrize(("framework", "data", "named"), [
    ("wm", {"age": 14, "indicators": ["wm9.nonsense"]}, "wm9.nonsense"),
    ("seraf", {"age": 14, "indicators": ["wm1.despair"]}, "wm1.despair"),
    ("wm", {"age": 18, "indicators": []}, "age 18"),
    ("wm", {"age": 21, "indicators": [], "additional_needs": True}, "age 21"),
    ("seraf", {"age": 25, "indicators": []}, "age 25"),
    ("sera", {"age": 18, "indicators": []}, "age 18"),
    ("wm", {"age": -2, "indicators": []}, "age -2"),
    ("wm", {"age": "14", "indicators": []}, "'14'"),
    ("wm", {"age": 14.5, "indicators": []}, "14.5"),
    ("wm", {"indicators": []}, "'age' is required"),
    ("wm", {"age": 14}, "'indicators' is required"),
    ("wm", {"age": 14, "indicators": "wm2.sti"}, "'wm2.sti'"),
    ("wm", {"age": 14, "indicators": [], "learning_disabilty": True}, "'learning_disabilty'"),
    ("wm", {"age": 14, "indicators": [], "s47_cse": "yes"}, "'yes'"),
    ("wm", {"age": 14, "indicators": [], "screener_role": ""}, "screener_role"),
    ("wm", [14], "[14]"),
    ("wm", '{"age": 14,', "not valid JSON"),
    ("bristol", {"age": 14, "indicators": []}, "'bristol'"),
    ("nope", {"age": 14, "indicators": []}, "'nope'"),
])
def test_bad_input_is_refused_naming_the_offending_value(framework, data, named):
    with pytest.raises(CommandError, match=None) as error:
        screen(framework, data)
    assert named in str(error.value)


def test_an_older_version_can_be_asked_for_by_name():
    out = io.StringIO()
    call_command("screen", framework="wm", framework_version="2015.1",
                 stdin=io.StringIO('{"age": 14, "indicators": []}'), stdout=out)
    assert json.loads(out.getvalue())["version"] == "2015.1"
    with pytest.raises(CommandError, match="unknown framework version: wm 1999"):
        call_command("screen", framework="wm", framework_version="1999",
                     stdin=io.StringIO('{"age": 14, "indicators": []}'), stdout=io.StringIO())


# --- the installed command, as partner systems run it --------------------------------------
def test_the_installed_command_prints_exactly_one_json_object(tmp_path):
    done = run(["--framework", "wm"],
               '{"age": 12, "indicators": ["wm1.despair"], "screener_role": "nurse"}', tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n") == 1 and done.stdout.endswith("}\n")
    result = json.loads(done.stdout)
    assert set(result) == CONTRACT_KEYS
    assert result["floor"] == 2 and result["requires_social_worker_rescreen"] is True


@pytest.mark.parametrize(("args", "stdin", "named"), [
    (["--framework", "zz"], '{"age": 14, "indicators": []}', "'zz'"),
    (["--framework", "seraf"], '{"age": 14, "indicators": ["seraf.x.y"]}', "seraf.x.y"),
    (["--framework", "sera"], '{"age": 19, "indicators": []}', "age 19"),
    (["--framework", "wm"], "not json", "not valid JSON"),
])
def test_the_installed_command_fails_on_stderr_with_nothing_on_stdout(args, stdin, named,
                                                                      tmp_path):
    done = run(args, stdin, tmp_path)
    assert done.returncode != 0
    assert done.stdout == ""
    assert named in done.stderr
