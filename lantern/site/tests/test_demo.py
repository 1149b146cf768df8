"""`lantern demo`: the fictional partnership, with the intelligence and the meetings and plans
the other apps add to it (lantern/site/demo.py calls their loaders).

Loading the demo takes seconds, so it is loaded once for this module, through the command
(`lantern demo --accounts-json` loads it when it is not there); each test runs in its own
transaction on top of it, rolled back after the test.
"""

import io
import json

import pytest
from django.core import mail
from django.core.management import call_command

from lantern import testing
from lantern.domain.labels import Pronouns
from lantern.foundation import audit
from lantern.foundation.models import Child, Role, User
from lantern.intelligence.models import MergeProposal, Subject, Trigger, Vehicle
from lantern.meetings.models import Meeting, MeetingChild
from lantern.pathway.models import Concern, Referral
from lantern.plans.models import Plan


@pytest.fixture(scope="module")
def _loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    def load():
        assert not Child.objects.exists()
        mail.outbox = []
        out = io.StringIO()
        call_command("demo", "--accounts-json", stdout=out)
        return {"accounts": json.loads(out.getvalue()), "emails": len(mail.outbox)}

    yield from testing.built_once(django_db_blocker, load,
                                  files=tmp_path_factory.mktemp("demo"))


@pytest.fixture
def demo(db, _loaded):
    return testing.fresh(_loaded)


@pytest.fixture(autouse=True)
def _private_files():
    """The files the demo wrote stay in the module's folder (`_loaded`)."""


def test_demo_loads_a_partnership_with_an_account_per_role(demo):
    accounts = demo["accounts"]
    assert {a["role"] for a in accounts} == set(Role.values)
    for account in accounts:
        user = User.objects.get(username=account["username"])
        assert user.check_password(account["password"])
        assert user.agency.name == account["agency"]
        assert len(account["totp_secret"]) == 32
    assert Child.objects.count() == 50
    assert Referral.objects.filter(status="awaiting").exists()
    assert Referral.objects.filter(status="decided").exists()
    assert audit.verify() is None


def test_demo_if_empty_does_not_load_twice(demo, capsys):
    call_command("demo", "--if-empty")
    call_command("demo", "--if-empty")
    assert Child.objects.count() == 50


def test_demo_secrets_give_the_codes_the_sign_in_accepts(demo, client):
    import base64

    from django_otp.oath import TOTP

    teacher = next(a for a in demo["accounts"] if a["username"] == "teacher")
    code = f"{TOTP(base64.b32decode(teacher['totp_secret'])).token():06d}"
    client.post("/sign-in/", {"username": "teacher", "password": teacher["password"]})
    response = client.post("/sign-in/code/", {"code": code})
    assert response.status_code == 302 and client.get("/").status_code == 200


def test_demo_code_prints_the_current_code(demo, capsys):
    call_command("demo", "--code", "frontdoor")
    assert capsys.readouterr().out.strip().isdigit()


def test_the_demo_has_intelligence_showing_every_part_of_the_feature(demo):
    mo = Subject.objects.get(nicknames=["Mo"])
    khan = Subject.objects.get(family_name="KHAN")
    assert MergeProposal.objects.filter(left=mo, right=khan).exists()
    assert Vehicle.objects.filter(key="AB12CDE").count() == 1
    assert Trigger.objects.filter(kind="network_referral",
                                  criterion="location_facilitating").exists()
    assert Trigger.objects.filter(kind="complex_strategy", joint=True).exists()
    assert Subject.objects.count() > 15  # the synthetic people, written several ways
    assert demo["emails"] == 0  # invented data emails nobody


def test_the_demo_holds_a_meeting_and_agrees_a_plan(demo):
    held = Meeting.objects.get(status="held")
    assert held.closed_sections.filter(status="granted").exists()
    plan = Plan.objects.get(child__in=held.children.all())
    assert plan.actions.count() >= 2 and plan.measures.exists()
    assert Meeting.objects.filter(status="convened").exists()


def _wrong_pronouns(child) -> set[str]:
    mine = set(Pronouns(child.gender).__dict__.values())
    return {"she", "her", "he", "him", "his", "they", "them", "their"} - mine


def _words(text: str) -> set[str]:
    return {word.strip(".,;:'\"").lower() for word in text.split()}


def test_demo_text_speaks_of_each_child_with_their_own_pronouns(demo):
    record = MeetingChild.objects.exclude(risk_analysis="").select_related("child").get()
    minutes = " ".join(record.meeting.agenda.values_list("minutes", flat=True))
    assert not _words(record.risk_analysis + " " + minutes) & _wrong_pronouns(record.child)
    for concern in Concern.objects.select_related("child"):
        assert not _words(concern.narrative) & _wrong_pronouns(concern.child), concern.narrative


def test_the_modules_files_and_audit_checkpoints_stay_out_of_var(demo, settings):
    from lantern.settings import VAR_DIR

    for path in (settings.MEDIA_ROOT, settings.AUDIT_CHECKPOINT_LOG):
        assert not str(path).startswith(str(VAR_DIR)), path


def test_a_demo_referral_made_with_consent_gives_no_reason_for_going_without_it(demo):
    from lantern.pathway.models import Consent

    referrals = Referral.objects.all()
    assert referrals.filter(consent=Consent.GIVEN).exists()
    assert not referrals.filter(consent=Consent.GIVEN).exclude(consent_detail="").exists()
    assert not referrals.exclude(consent=Consent.GIVEN).filter(consent_detail="").exists()


def test_the_demo_names_a_cse_lead_for_the_agencies_staff_ask_first(demo):
    """The CSE leads directory (issue 17, item 5) has someone to find: a lead for the front
    door's and the police's agencies among others, each with a way to reach them."""
    from lantern.monitoring.models import CseLead

    leads = CseLead.objects.select_related("agency")
    assert {"Northbridge Children's Services", "Northbridge Police", "Riverside Academy"} <= {
        lead.agency.name for lead in leads}
    assert all(lead.phone.startswith("0161 496 0") and lead.email.endswith(".example")
               for lead in leads)
