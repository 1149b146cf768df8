"""`lantern due`: the contract partner systems and our checks rely on (issue 4)."""

import json
import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

LANTERN = Path(sys.executable).parent / "lantern"


def due(*args) -> dict:
    out = StringIO()
    call_command("due", *args, stdout=out)
    text = out.getvalue()
    assert text.count("\n") <= 1
    return json.loads(text)


def run(*args, tmp_path) -> subprocess.CompletedProcess:
    """The real command, as a partner system runs it: no SECRET_KEY, no DEBUG, and a database
    that cannot be reached (and would be created if touched)."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANTERN_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'var' / 'absent.sqlite3'}",
    }
    return subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [str(LANTERN), "due", *args], capture_output=True, text=True, env=env, timeout=60,
        check=False,
    )


def test_a_working_day_step_prints_a_date_and_its_basis():
    answer = due("--profile", "stockport", "--step", "initial_assessment",
                 "--from", "2024-12-20T23:59")
    assert answer["due"] == "2025-01-03"
    assert "7 working days" in answer["basis"] and "Stockport CSE procedure §13" in answer["basis"]
    assert set(answer) == {"due", "basis"}


def test_an_hour_step_prints_a_local_iso_datetime():
    answer = due("--profile", "bristol", "--step", "referral_decision",
                 "--from", "2024-07-01T09:15")
    assert re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", answer["due"])
    assert answer["due"].startswith("2024-07-02T09:15")


def test_from_without_an_offset_is_london_time_and_with_one_is_converted():
    naive = due("--profile", "stockport", "--step", "police_referral_decision",
                "--from", "2024-07-01T09:15")
    utc = due("--profile", "stockport", "--step", "police_referral_decision",
              "--from", "2024-07-01T08:15:00+00:00")
    assert naive["due"] == utc["due"] == "2024-07-02T09:15:00+01:00"


def test_an_event_at_2359_utc_in_summer_is_the_next_london_day():
    # 23:59 UTC on Thursday 6 June 2024 is 00:59 on Friday in London.
    answer = due("--profile", "coventry", "--step", "meeting", "--from", "2024-06-06T23:59Z")
    # Mon 10 June is day 1 (not Fri 7): 15 working days to Friday 28 June.
    assert answer["due"] == "2024-06-28"


@pytest.mark.parametrize(("profile", "step", "event", "expected"), [
    # Christmas: England (stockport, coventry, bristol) and Wales.
    ("stockport", "initial_assessment", "2024-12-20T10:00", "2025-01-03"),
    ("stockport", "meeting", "2024-12-20T10:00", "2024-12-30"),  # calendar days
    ("stockport", "meeting", "2024-12-15T10:00", "2024-12-25"),  # not moved off Christmas
    ("coventry", "meeting", "2024-12-20T10:00", "2025-01-15"),
    ("bristol", "assessment", "2024-12-20T10:00", "2025-02-26"),
    ("wales", "assessment", "2024-12-20T10:00", "2025-01-03"),
    # Easter: Good Friday 18 and Easter Monday 21 April 2025 skipped.
    ("wales", "initial_assessment", "2025-04-17T10:00", "2025-04-30"),
    ("stockport", "assessment", "2025-04-17T10:00", "2025-04-30"),
    ("coventry", "meeting", "2025-04-17T10:00", "2025-05-13"),  # and 5 May, early May
    # A weekend: Friday's referral, day 1 is Monday.
    ("stockport", "initial_assessment", "2024-06-07T16:00", "2024-06-18"),
    # Hours are not moved off Christmas Day.
    ("wales", "referral_decision", "2024-12-24T23:59", "2024-12-25T23:59:00+00:00"),
])
def test_deadlines_across_holidays_and_weekends(profile, step, event, expected):
    assert due("--profile", profile, "--step", step, "--from", event)["due"] == expected


@pytest.mark.parametrize(("args", "named"), [
    (("--profile", "atlantis", "--step", "meeting"), "atlantis"),
    (("--profile", "stockport", "--step", "lunch"), "lunch"),
    (("--profile", "wales", "--step", "meeting"), "meeting"),
    (("--profile", "coventry", "--step", "referral_decision"), "referral_decision"),
    (("--profile", "bristol", "--step", "police_referral_decision"),
     "police_referral_decision"),
])
@pytest.mark.django_db  # an unknown name is looked for among the local profiles
def test_what_cannot_be_answered_fails_naming_it(args, named):
    with pytest.raises(CommandError, match=named):
        call_command("due", *args, "--from", "2024-06-07T10:00", stdout=StringIO())


def test_a_bad_from_fails_naming_it():
    with pytest.raises(CommandError, match="yesterday"):
        call_command("due", "--profile", "wales", "--step", "assessment", "--from", "yesterday",
                     stdout=StringIO())


def test_the_installed_command_prints_one_json_object_and_nothing_else(tmp_path):
    result = run("--profile", "wales", "--step", "assessment", "--from", "2024-12-20T10:00",
                 tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.count("{") == 1
    answer = json.loads(result.stdout)
    assert answer["due"] == "2025-01-03"
    assert "Wales" in answer["basis"]
    # It needed no database: none was created.
    assert not (tmp_path / "var" / "absent.sqlite3").exists()


def test_the_installed_command_fails_on_stderr_with_a_non_zero_exit(tmp_path):
    result = run("--profile", "coventry", "--step", "police_referral_decision",
                 "--from", "2024-12-20T10:00", tmp_path=tmp_path)
    assert result.returncode != 0
    assert result.stdout == ""
    assert "police_referral_decision" in result.stderr and "coventry" in result.stderr
    unknown = run("--profile", "atlantis", "--step", "meeting", "--from", "2024-12-20T10:00",
                  tmp_path=tmp_path)
    assert unknown.returncode != 0 and "atlantis" in unknown.stderr
    assert not (tmp_path / "var" / "absent.sqlite3").exists()


def test_a_local_profile_answers_from_the_database(p):
    from lantern.pathway import actions

    actions.save_local_profile(
        code="northbridge", name="Northbridge", base="coventry", by=p.ade,
        reason="Assessments follow Working Together locally.",
        overrides='[timescales.assessment]\nlabel = "Assessment"\nworking_days = 45\n'
                  'from = "referral"\ncitation = "Northbridge partnership, 2025"\n',
    )
    answer = due("--profile", "northbridge", "--step", "assessment",
                 "--from", "2024-12-20T10:00")
    assert answer["due"] == "2025-02-26"
    assert "Northbridge partnership" in answer["basis"]
