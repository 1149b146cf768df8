from lantern import testing
from lantern.foundation.models import AuditEvent


def test_the_api_lists_only_children_the_caller_may_see(p, child, as_user):
    other = testing.make_child(p.bob, given_names="Other")
    data = as_user(p.alice).get("/api/children/").json()
    ids = [row["id"] for row in data["results"]]
    assert child.pk in ids and other.pk not in ids


def test_reading_a_child_through_the_api_is_audited(p, child, as_user):
    as_user(p.priya).get(f"/api/children/{child.pk}/")
    assert AuditEvent.objects.filter(actor=p.priya, child=child, action="view").exists()


def test_the_openapi_schema_describes_the_endpoints(p, as_user):
    schema = as_user(p.alice).get("/api/schema/?format=json").json()
    assert "/api/children/" in schema["paths"] and "/api/referrals/" in schema["paths"]


def test_a_childs_nationality_is_read_through_the_api(p, as_user):
    child = testing.make_child(p.alice, nationality="Irish")
    assert as_user(p.alice).get(f"/api/children/{child.pk}/").json()["nationality"] == "Irish"
