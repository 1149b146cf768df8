import json

from django.core.management import call_command

from lantern.domain.labels import Pronouns
from lantern.foundation import audit
from lantern.foundation.models import Child, Role, User
from lantern.meetings.models import MeetingChild
from lantern.pathway.models import Concern, Referral


def test_demo_loads_a_partnership_with_an_account_per_role(db, capsys):
    call_command("demo", "--accounts-json")
    accounts = json.loads(capsys.readouterr().out)
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


def test_demo_if_empty_does_not_load_twice(db, capsys):
    call_command("demo", "--if-empty")
    call_command("demo", "--if-empty")
    assert Child.objects.count() == 50


def test_demo_secrets_give_the_codes_the_sign_in_accepts(db, capsys, client):
    import base64

    from django_otp.oath import TOTP

    call_command("demo", "--accounts-json")
    teacher = next(a for a in json.loads(capsys.readouterr().out) if a["username"] == "teacher")
    code = f"{TOTP(base64.b32decode(teacher['totp_secret'])).token():06d}"
    client.post("/sign-in/", {"username": "teacher", "password": teacher["password"]})
    response = client.post("/sign-in/code/", {"code": code})
    assert response.status_code == 302 and client.get("/").status_code == 200


def test_demo_code_prints_the_current_code(db, capsys):
    call_command("demo", "--if-empty")
    capsys.readouterr()
    call_command("demo", "--code", "frontdoor")
    assert capsys.readouterr().out.strip().isdigit()


def _wrong_pronouns(child) -> set[str]:
    mine = set(Pronouns(child.gender).__dict__.values())
    return {"she", "her", "he", "him", "his", "they", "them", "their"} - mine


def _words(text: str) -> set[str]:
    return {word.strip(".,;:'\"").lower() for word in text.split()}


def test_demo_text_speaks_of_each_child_with_their_own_pronouns(db):
    call_command("demo")
    record = MeetingChild.objects.exclude(risk_analysis="").select_related("child").get()
    minutes = " ".join(record.meeting.agenda.values_list("minutes", flat=True))
    assert not _words(record.risk_analysis + " " + minutes) & _wrong_pronouns(record.child)
    for concern in Concern.objects.select_related("child"):
        assert not _words(concern.narrative) & _wrong_pronouns(concern.child), concern.narrative
