"""Return home interviews (issue 14, item 11): 72 hours is national guidance adopted by every
profile, cited per nation (never England's guidance for Wales), and the page shows whether the
debrief was done by the third sector, as seed 001 asks."""

import pytest

from lantern import testing
from lantern.foundation.models import AgencyKind, WorkItem
from lantern.missing.testing import make_episode, make_interview
from lantern.pathway import queries as pathway_queries

ENGLAND_GUIDANCE = "DfE statutory guidance on children who run away or go missing"
WALES_GUIDANCE = "All Wales Practice Guide: safeguarding children who go missing"


def shipped(code):
    return next(p for p in pathway_queries.shipped_profiles() if p.code == code)


@pytest.mark.parametrize("code", ["coventry", "stockport", "bristol"])
def test_english_profiles_cite_the_dfe_guidance_and_mark_it_adopted(code):
    timescale = shipped(code).timescale("return_interview")
    assert timescale.amount == 72 and timescale.unit == "hours"
    assert ENGLAND_GUIDANCE in timescale.citation and not timescale.own
    assert "national guidance for England" in timescale.adopted


def test_wales_cites_the_welsh_guidance_not_englands():
    timescale = shipped("wales").timescale("return_interview")
    assert WALES_GUIDANCE in timescale.citation and not timescale.own
    assert "DfE" not in timescale.basis("WLS") and "England" not in timescale.basis("WLS")
    assert "national guidance for Wales" in timescale.adopted


def test_a_welsh_childs_interview_clock_cites_the_welsh_guidance(p, child):
    p.north.policy_profile = "wales"
    p.north.nation = "WLS"
    p.north.save()
    child.refresh_from_db()
    make_episode(child, p.priya)
    item = WorkItem.objects.get(child=child, kind="return_interview")
    assert WALES_GUIDANCE in item.basis and "adopted" in item.basis
    assert "DfE" not in item.basis
    assert pathway_queries.profile_for(child.area).code == "wales"


def test_the_episode_page_shows_a_third_sector_debrief(p, child, client):
    charity = testing.AgencyFactory.create(name="Northbridge Young People's Project",
                                           kind=AgencyKind.VOLUNTARY, area=p.north)
    episode = make_episode(child, p.priya)
    make_interview(episode, p.fiona, agency=charity)
    body = testing.sign_in_client(client, p.fiona).get(episode.get_absolute_url()
                                                       ).content.decode()
    assert "Northbridge Young People&#x27;s Project" in body
    assert 'id="interviewer-sector">Third sector<' in body


def test_a_debrief_by_children_s_services_says_it_is_not_third_sector(p, child, client):
    episode = make_episode(child, p.priya)
    make_interview(episode, p.fiona, agency=p.north_csc)
    body = testing.sign_in_client(client, p.fiona).get(episode.get_absolute_url()
                                                       ).content.decode()
    assert "Not third sector: children&#x27;s social care" in body


def test_the_interview_form_names_each_agency_s_sector(p, child, client):
    testing.AgencyFactory.create(name="Harbour Project", kind=AgencyKind.VOLUNTARY,
                                 area=p.north)
    episode = make_episode(child, p.priya)
    body = testing.sign_in_client(client, p.fiona).get(
        f"/missing/{episode.pk}/interview/").content.decode()
    assert "Harbour Project (third sector)" in body
