import json

from django.core.management import call_command

from lantern.pathway.models import Referral
from lantern.people.models import Child, Role, User
from lantern.sharing import audit


def test_demo_loads_a_partnership_with_an_account_per_role(db, capsys):
    call_command("demo", "--accounts-json")
    accounts = json.loads(capsys.readouterr().out)
    assert {a["role"] for a in accounts} == set(Role.values)
    for account in accounts:
        user = User.objects.get(username=account["username"])
        assert user.check_password(account["password"])
        assert user.agency.name == account["agency"]
    assert Child.objects.count() == 50
    assert Referral.objects.filter(status="awaiting").exists()
    assert Referral.objects.filter(status="decided").exists()
    assert audit.verify() is None


def test_demo_if_empty_does_not_load_twice(db, capsys):
    call_command("demo", "--if-empty")
    call_command("demo", "--if-empty")
    assert Child.objects.count() == 50
