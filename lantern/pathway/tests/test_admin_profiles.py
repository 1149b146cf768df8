"""An administrator picks an area's profile or defines a local one, validated as the shipped
profiles are, and audited."""

from lantern.foundation.models import AuditEvent
from lantern.pathway.models import LocalProfile

GOOD = """[timescales.assessment]
label = "Child and family assessment"
working_days = 45
from = "referral"
citation = "Northbridge partnership decision, March 2025"
"""


def _add(as_user, p, overrides, **extra):
    return as_user(p.ade).post("/admin/pathway/localprofile/add/", {
        "code": "northbridge", "name": "Northbridge", "base": "coventry",
        "overrides": overrides, "reason": "Assessments follow Working Together locally.",
        **extra,
    })


def test_a_valid_local_profile_is_saved_and_audited(p, as_user):
    response = _add(as_user, p, GOOD)
    assert response.status_code == 302, response.content.decode()[:2000]
    local = LocalProfile.objects.get(code="northbridge")
    assert local.updated_by == p.ade
    assert AuditEvent.objects.filter(object_type="pathway.localprofile", action="create",
                                     actor=p.ade).exists()
    page = as_user(p.ade).get(f"/admin/pathway/localprofile/{local.pk}/change/")
    assert "Child and family assessment within 45 working days" in page.content.decode()


def test_a_malformed_local_profile_is_refused_naming_the_problem(p, as_user):
    response = _add(as_user, p, "[timescales.assessment]\nworking_days = 45\n")
    assert response.status_code == 200
    assert "local profile &#x27;northbridge&#x27;: timescales.assessment" in (
        response.content.decode())
    assert not LocalProfile.objects.exists()


def test_a_local_profile_cannot_take_a_shipped_name(p, as_user):
    response = _add(as_user, p, GOOD, code="wales")
    assert "taken by a shipped profile" in response.content.decode()


def test_an_area_adopts_a_profile_through_the_admin_and_it_is_audited(p, as_user):
    _add(as_user, p, GOOD)
    response = as_user(p.ade).post(f"/admin/foundation/area/{p.north.pk}/change/", {
        "name": "Northbridge", "slug": "northbridge", "nation": "ENG",
        "policy_profile": "northbridge", "local_settings": "{}",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    p.north.refresh_from_db()
    assert p.north.policy_profile == "northbridge"
    event = AuditEvent.objects.get(object_type="foundation.area", action="update")
    assert event.changes["policy_profile"] == {"old": "coventry", "new": "northbridge"}


def test_an_area_cannot_adopt_an_unknown_profile(p, as_user):
    response = as_user(p.ade).post(f"/admin/foundation/area/{p.north.pk}/change/", {
        "name": "Northbridge", "slug": "northbridge", "nation": "ENG",
        "policy_profile": "atlantis", "local_settings": "{}",
    })
    assert response.status_code == 200
    p.north.refresh_from_db()
    assert p.north.policy_profile == "coventry"


def test_a_local_profile_naming_an_unknown_framework_is_refused(p, as_user):
    # The screening app checks the frameworks a profile names (lantern.screening.apps).
    response = _add(as_user, p, 'frameworks = ["wm", "atlantis"]\n')
    assert response.status_code == 200
    assert "names unknown frameworks" in response.content.decode()
    assert not LocalProfile.objects.exists()
