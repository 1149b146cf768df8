"""The category 3 and trafficking responses on the child's pathway page (issue 14, item 6):
shown with their owner, due date or judgement, and what was done; recorded by those who may
change the record or hold the work; excepted by a manager."""

from lantern import testing
from lantern.foundation.models import WorkItem
from lantern.pathway.models import MeetingRequirement, TrackedResponse


def _trafficked(p, child):
    testing.make_screening(child, p.alice, indicators=("wm3.trafficked",))
    return TrackedResponse.objects.get(child=child, code="nrm_referral")


def _url(child, response, tail=""):
    return f"/children/{child.pk}/pathway/responses/{response.pk}/{tail}"


def test_the_pathway_shows_each_response_with_its_owner_and_whose_judgement(p, child, as_user):
    _trafficked(p, child)
    body = as_user(p.maria).get(f"/children/{child.pk}/pathway/").content.decode()
    assert "Refer the child to the National Referral Mechanism" in body
    assert "Any CSE team manager in the area" in body
    assert "when it is done is the judgement of the allocated social worker" in body
    assert "cannot leave the pathway until the decision is recorded" in body
    assert "Record what was done" in body and "Record an exception" in body


def test_recording_what_was_done_through_the_page(p, child, as_user):
    nrm = _trafficked(p, child)
    response = as_user(p.maria).post(_url(child, nrm), {
        f"response-{nrm.pk}-outcome": "referred",
        f"response-{nrm.pk}-note": "Referred on the portal, reference 77."})
    assert response.status_code == 302
    nrm.refresh_from_db()
    assert nrm.outcome == "referred"


def test_an_empty_or_unknown_choice_gives_a_clear_error(p, child, as_user):
    nrm = _trafficked(p, child)
    response = as_user(p.maria).post(_url(child, nrm), {
        f"response-{nrm.pk}-outcome": "conclusive_positive",
        f"response-{nrm.pk}-note": ""})
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert "Select what was done from the choices given" in body
    assert "Enter what was done" in body


def test_the_police_record_the_evidence_their_tray_holds_but_not_the_nrm(p, child, as_user):
    nrm = _trafficked(p, child)
    evidence = TrackedResponse.objects.get(child=child, code="evidence")
    client = as_user(p.priya)
    assert client.post(_url(child, nrm), {}).status_code == 403
    response = client.post(_url(child, evidence), {
        f"response-{evidence.pk}-outcome": "preserved",
        f"response-{evidence.pk}-note": "Exhibits seized from the flat."})
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert evidence.work_item.status == WorkItem.Status.DONE


def test_exit_is_refused_on_the_page_until_a_manager_records_an_exception(p, child, as_user):
    nrm = _trafficked(p, child)
    MeetingRequirement.objects.filter(child=child).update(held_at=nrm.opened_at)
    client = as_user(p.maria)
    exit_form = {"to": "exit", "note": "Child protection plan agreed.",
                 "exit_route": "child_protection"}
    refused = client.post(f"/children/{child.pk}/pathway/", exit_form)
    assert refused.status_code == 200
    assert "Record the decision on the child&#x27;s referral to the National Referral" in (
        refused.content.decode())
    excepted = client.post(_url(child, nrm, "exception/"), {
        f"response-exception-{nrm.pk}-reason": "She has moved to Scotland."})
    assert excepted.status_code == 302
    assert client.post(f"/children/{child.pk}/pathway/", exit_form).status_code == 302
    body = client.get(f"/children/{child.pk}/").content.decode()
    assert "The pathway may end before the decision" in body and "Scotland" in body


def test_the_exception_needs_a_reason(p, child, as_user):
    nrm = _trafficked(p, child)
    response = as_user(p.maria).post(_url(child, nrm, "exception/"), {})
    assert response.status_code == 200
    assert "Enter why the child may leave the pathway before the decision" in (
        response.content.decode())


def test_the_front_door_may_not_record_an_exception(p, child, as_user):
    nrm = _trafficked(p, child)
    assert as_user(p.fiona).post(_url(child, nrm, "exception/"), {
        f"response-exception-{nrm.pk}-reason": "x"}).status_code == 403
