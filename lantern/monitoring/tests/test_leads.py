"""The CSE leads directory: each agency names its leads; anyone signed in finds them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lantern.foundation.models import AuditEvent
from lantern.monitoring import actions, queries
from lantern.monitoring.models import CseLead

LEADS = reverse("monitoring:leads")
ADD = reverse("monitoring:add_lead")


@pytest.fixture
def lead(p):
    return actions.add_lead(p.north_csc, by=p.maria, name="Dana Lead", job_title="Team manager",
                            phone="0161 000 0000")


@pytest.mark.django_db
def test_a_teacher_finds_another_agencys_lead(p, as_user, lead):
    response = as_user(p.alice).get(LEADS, {"q": "Dana"})
    assert "Dana Lead" in response.text
    assert "Northbridge Children&#x27;s Services" in response.text


@pytest.mark.django_db
def test_an_agency_without_a_lead_is_marked(p, as_user, lead):
    response = as_user(p.alice).get(LEADS)
    assert "No CSE lead named" in response.text


@pytest.mark.django_db
def test_a_cse_manager_names_a_lead_for_their_own_agency(p, as_user):
    response = as_user(p.maria).post(ADD, {"agency": p.north_csc.pk, "name": "Lee Lead",
                                           "email": "lee@example.org"})
    assert response.status_code == 302
    lead = CseLead.objects.get(name="Lee Lead")
    assert lead.agency == p.north_csc and lead.added_by == p.maria
    assert AuditEvent.objects.filter(object_type="monitoring.cselead", action="create").exists()


@pytest.mark.django_db
def test_a_cse_manager_may_not_name_a_lead_for_another_agency(p, as_user):
    response = as_user(p.maria).post(ADD, {"agency": p.riverside.pk, "name": "Lee Lead",
                                           "email": "lee@example.org"})
    assert response.status_code == 200
    assert not CseLead.objects.exists()


@pytest.mark.django_db
def test_a_teacher_may_not_name_leads(p, as_user):
    assert as_user(p.alice).get(ADD).status_code == 403


@pytest.mark.django_db
def test_a_lead_needs_a_way_to_be_reached(p, as_user):
    response = as_user(p.maria).post(ADD, {"agency": p.north_csc.pk, "name": "Lee Lead"})
    assert "Enter a telephone number or an email address" in response.text
    assert 'value="Lee Lead"' in response.text


@pytest.mark.django_db
def test_removing_a_lead_keeps_the_row_and_audits_it(p, as_user, lead):
    response = as_user(p.maria).post(reverse("monitoring:remove_lead", args=[lead.pk]))
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.removed_by == p.maria
    assert queries.leads(search="Dana") == []


@pytest.mark.django_db
def test_another_agencys_manager_may_not_remove_a_lead(p, as_user, lead):
    response = as_user(p.fiona).post(reverse("monitoring:remove_lead", args=[lead.pk]))
    assert response.status_code == 403


@pytest.mark.django_db
def test_the_directory_query_count_does_not_grow_with_leads(p, as_user, lead):
    client = as_user(p.alice)
    client.get("/")  # the banner's counts are kept a minute per session: warm them
    client.get(LEADS)  # and the search's questions, the same for everyone of the area
    with CaptureQueriesContext(connection) as few:
        client.get(LEADS)
    for i in range(5):
        actions.add_lead(p.riverside, by=p.ade, name=f"Lead {i}", email=f"l{i}@example.org")
    with CaptureQueriesContext(connection) as many:
        response = client.get(LEADS)
    # The agencies and their current leads are two queries, however many leads there are.
    print(f"{len(many)} queries")
    assert "Lead 4" in response.text
    assert len(many) == len(few)


def _row(agency: str) -> str:
    return f'<th scope="row" class="govuk-table__header">{agency}</th>'


@pytest.mark.django_db
def test_the_directory_opens_at_the_readers_own_area(p, as_user):
    response = as_user(p.alice).get(LEADS)
    assert _row("Riverside Academy") in response.text
    assert _row("Eastmoor High School") not in response.text


@pytest.mark.django_db
def test_the_directory_lists_every_area_when_asked(p, as_user):
    response = as_user(p.alice).get(LEADS, {"q": "", "area": ""})
    assert _row("Riverside Academy") in response.text
    assert _row("Eastmoor High School") in response.text


@pytest.mark.django_db
def test_the_directory_lists_another_area_when_chosen(p, as_user):
    response = as_user(p.alice).get(LEADS, {"area": p.east.pk})
    assert _row("Eastmoor High School") in response.text
    assert _row("Riverside Academy") not in response.text


@pytest.mark.django_db
def test_an_area_that_is_not_offered_is_refused_clearly(p, as_user):
    response = as_user(p.alice).get(LEADS, {"area": "999999"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text


def _leads_as_the_orm_reads_them(search, area_id):
    """The directory as one queryset with its leads prefetched, before it was compiled."""
    from django.db.models import Prefetch, Q

    from lantern.foundation.models import Agency
    agencies = Agency.objects.select_related("area").order_by("area__name", "name")
    if area_id is not None:
        agencies = agencies.filter(area_id=area_id)
    if search:
        agencies = agencies.filter(
            Q(name__icontains=search)
            | Q(cse_leads__name__icontains=search, cse_leads__removed_at=None)).distinct()
    current = CseLead.objects.filter(removed_at=None).order_by("name")
    return [(a.pk, a.area.name, [lead.pk for lead in a.current_leads]) for a in
            agencies.prefetch_related(Prefetch("cse_leads", queryset=current,
                                               to_attr="current_leads"))]


@pytest.mark.django_db
def test_the_compiled_directory_lists_what_the_orm_lists(p, lead):
    actions.add_lead(p.riverside, by=p.maria, name="Sam 100%_Lead", email="s@example.org")
    gone = actions.add_lead(p.north_csc, by=p.maria, name="Gone Lead", email="g@example.org")
    actions.remove_lead(gone, by=p.maria)
    for area_id in (None, p.north.pk, p.east.pk):
        for search in ("", "dana", "Riverside", "100%", "_", "%", "gone", "children"):
            got = [(a.pk, a.area.name, [lead.pk for lead in a.current_leads])
                   for a in queries.leads(search=search, area_id=area_id)]
            assert got == _leads_as_the_orm_reads_them(search, area_id), (area_id, search)
