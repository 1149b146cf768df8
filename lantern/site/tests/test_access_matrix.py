"""The access matrix (issue 5): every view against every named role, allowed or denied, for
every kind of object. It fails when a view is added without a rule here.

The child is Zephyrine Quillfeather of Northbridge: alice's school recorded a concern, screened
and referred her, and recorded an information-sharing decision. Whoever may not see her must
not find her name in any page they can open.
"""

import inspect
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from lantern import testing
from lantern.foundation import grants
from lantern.foundation.models import GrantBasis, WorkItem
from lantern.missing import actions as missing_actions
from lantern.missing import testing as missing_testing
from lantern.people import actions as people_actions
from lantern.sharing import actions as sharing_actions

NAME = "Zephyrine Quillfeather"

# Named people (lantern/testing.py): owner agency, other agency, other area, front door, other
# area's front door, unallocated social worker, CSE team manager, police, analyst, board, admin.
EVERYONE = ["alice", "bob", "carol", "fiona", "eve", "sam", "maria", "priya", "ana", "bea",
            "ade"]
NO_IDENTITY = {"ana", "bea", "ade"}
CONTRIBUTORS = set(EVERYONE) - NO_IDENTITY
SEES_CHILD = {"alice", "fiona", "maria", "priya"}
# People tried only on the rules that name them: dev, the designated safeguarding lead of
# alice's school (who sees Zephyrine through the school's grant), on the lead's own pages.
EXTRA_PEOPLE = ["dev"]
EXTRA_SEES_CHILD = {"dev"}
# Analysts, CSE team managers and police review merges, open the link chart and the ranking.
INTELLIGENCE_REVIEW = {"ana", "maria", "priya"}

OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404


def _everyone(status):
    return {name: status for name in EVERYONE}


def only(allowed: set[str], denied: int, *, contributors_only: bool = False) -> dict:
    """`allowed` get 200, others `denied`; with contributors_only the non-contributing roles are
    refused with 403 before the object is looked up."""
    cells = {}
    for name in EVERYONE:
        if contributors_only and name in NO_IDENTITY:
            cells[name] = FORBIDDEN
        else:
            cells[name] = OK if name in allowed else denied
    return cells


@dataclass
class Rule:
    path: Callable[[dict], str]
    expect: dict
    method: str = "get"


CHILD_PAGE = only(SEES_CHILD, NOT_FOUND, contributors_only=True)
# Pages that change the child's record: the school and police see it but may not change it.
CHANGE_PAGE = {**CHILD_PAGE, "alice": FORBIDDEN, "priya": FORBIDDEN}
# Seen by those who see the child, changed only by the meeting's chair (maria).
MEETING_CHANGE = {**CHILD_PAGE, "alice": FORBIDDEN, "fiona": FORBIDDEN, "priya": FORBIDDEN}
# Kept by those who may change the child's record (maria, fiona); read by alice and priya.
PLAN_CHANGE = {**CHILD_PAGE, "alice": FORBIDDEN, "priya": FORBIDDEN}

RULES: dict[str, Rule] = {
    "home": Rule(lambda o: "/", _everyone(OK)),
    "change_password": Rule(lambda o: "/account/password/", _everyone(OK)),
    # Administration of accounts: administrators only (foundation/tests/test_administration.py).
    "admin_people": Rule(lambda o: "/administration/people/", only({"ade"}, FORBIDDEN)),
    "admin_add_agency": Rule(lambda o: "/administration/agencies/add/", only({"ade"}, FORBIDDEN)),
    "admin_add_person": Rule(lambda o: "/administration/people/add/", only({"ade"}, FORBIDDEN)),
    "admin_person": Rule(lambda o: f"/administration/people/{o['child'].created_by_id}/",
                         only({"ade"}, FORBIDDEN)),
    "account_changes": Rule(lambda o: "/administration/changes/", only({"ade"}, FORBIDDEN)),
    # The benchmark's floor and bare layout (issue 18): any signed-in person, no child shown.
    "floor": Rule(lambda o: "/floor", only(set(EVERYONE), FORBIDDEN)),
    "layout": Rule(lambda o: "/layout", only(set(EVERYONE), FORBIDDEN)),
    # Each person's own drafts and session (issue 15): everyone signed in, about themselves only
    # (lantern/foundation/tests test that nobody reads another's draft).
    "drafts": Rule(lambda o: "/drafts/?page=/", only(set(EVERYONE), FORBIDDEN)),
    "draft_discard": Rule(lambda o: "/drafts/discard/", only(set(EVERYONE), FORBIDDEN),
                          method="post"),
    "keep_alive": Rule(lambda o: "/session/keep-alive/", only(set(EVERYONE), FORBIDDEN),
                       method="post"),
    # Each person's own notifications (issue 14 item 9): everyone signed in sees their own;
    # another's cannot be marked read (lantern/foundation/tests/test_notifications.py).
    "notifications": Rule(lambda o: "/notifications/", _everyone(OK)),
    # Monitoring (issue 17): figures for the roles that see no identities; tasking for the
    # front door, CSE team managers and police; the CSE leads directory for everyone.
    "monitoring:data_set": Rule(lambda o: "/monitoring/", only(NO_IDENTITY, FORBIDDEN)),
    "monitoring:data_quality": Rule(lambda o: "/monitoring/data-quality/",
                                    only(NO_IDENTITY, FORBIDDEN)),
    "monitoring:leads": Rule(lambda o: "/cse-leads/", only(set(EVERYONE), FORBIDDEN)),
    "monitoring:add_lead": Rule(lambda o: "/cse-leads/add/",
                                only({"maria", "ade"}, FORBIDDEN)),
    # No lead is named in the world: the id is refused as unknown before anything else.
    "monitoring:remove_lead": Rule(lambda o: "/cse-leads/999999/remove/",
                                   only(set(), NOT_FOUND), method="post"),
    # Six-monthly reviews: the monitoring roles; no review exists in the world, so a review's
    # id is refused as unknown to them and as forbidden to everyone else.
    "monitoring:reviews": Rule(lambda o: "/monitoring/reviews/", only(NO_IDENTITY, FORBIDDEN)),
    "monitoring:review_new": Rule(lambda o: "/monitoring/reviews/new/",
                                  only(NO_IDENTITY, FORBIDDEN)),
    "monitoring:review": Rule(lambda o: "/monitoring/reviews/999999/",
                              {**only(set(), FORBIDDEN), "ana": NOT_FOUND, "bea": NOT_FOUND,
                               "ade": NOT_FOUND}),
    "monitoring:review_issue": Rule(lambda o: "/monitoring/reviews/999999/issue/",
                                    {**only(set(), FORBIDDEN), "ana": NOT_FOUND,
                                     "bea": NOT_FOUND, "ade": NOT_FOUND}, method="post"),
    "monitoring:review_pdf": Rule(lambda o: "/monitoring/reviews/999999/pdf/",
                                  {**only(set(), FORBIDDEN), "ana": NOT_FOUND,
                                   "bea": NOT_FOUND, "ade": NOT_FOUND}),
    "monitoring:tasking": Rule(lambda o: "/tasking/", only({"fiona", "eve", "maria", "priya"},
                                                           FORBIDDEN)),
    # A section of the list alone, paged (the list shows each section's first ten items).
    "monitoring:tasking_section": Rule(lambda o: "/tasking/daily/section/urgent-concerns/",
                                       only({"fiona", "eve", "maria", "priya"}, FORBIDDEN)),
    # An item not on today's list is refused as unknown to those who task; others are refused.
    "monitoring:tasking_decide": Rule(lambda o: "/tasking/daily/nothing-9/",
                                      {**only(set(), FORBIDDEN), "fiona": NOT_FOUND,
                                       "eve": NOT_FOUND, "maria": NOT_FOUND,
                                       "priya": NOT_FOUND}),
    # The monthly dip-sample audit (issue 17 item 4): bea (the auditor role) drew the sample
    # of Zephyrine's screening and audits it, reading the record through her dip-sample grant;
    # the area's other monitoring roles read the sample and its grades, not the record.
    "monitoring:dip_samples": Rule(lambda o: "/monitoring/dip-samples/",
                                   only(NO_IDENTITY, FORBIDDEN)),
    "monitoring:dip_sample": Rule(lambda o: f"/monitoring/dip-samples/{o['dip_sample'].pk}/",
                                  only(NO_IDENTITY, FORBIDDEN)),
    "monitoring:dip_sample_item": Rule(
        lambda o: f"/monitoring/dip-samples/records/{o['dip_sample_item'].pk}/",
        only(NO_IDENTITY, NOT_FOUND)),
    # Only the record's auditor records findings; the other monitoring roles may not.
    "monitoring:dip_sample_action": Rule(
        lambda o: f"/monitoring/dip-samples/records/{o['dip_sample_item'].pk}/action/",
        {**only({"bea"}, NOT_FOUND), "ana": FORBIDDEN, "ade": FORBIDDEN}),
    # No action is recorded in the world: only an action's owner marks it done.
    "monitoring:dip_sample_action_done": Rule(
        lambda o: "/monitoring/dip-samples/actions/999999/done/", only(set(), NOT_FOUND),
        method="post"),
    # A misspelt search, so the query echoed in the search box is not the name itself.
    "people:find": Rule(lambda o: "/children/?name=Zephyrin+Quilfeather",
                        only(CONTRIBUTORS, FORBIDDEN)),
    "people:add": Rule(lambda o: "/children/add/", only(CONTRIBUTORS, FORBIDDEN)),
    # Correcting the child's details: those who may change the record (issue 15, item 4).
    "people:correct": Rule(lambda o: f"/children/{o['child'].pk}/details/", CHANGE_PAGE),
    # Merging two records of one child and undoing it (issue 15, item 2): the area's front
    # door and CSE team manager only; the school and police see the record but may not merge.
    "people:merge": Rule(lambda o: f"/children/{o['child'].pk}/merge/", CHANGE_PAGE),
    "people:merge_compare": Rule(
        lambda o: f"/children/{o['child'].pk}/merge/{o['other_child'].pk}/", CHANGE_PAGE),
    "people:merge_undo": Rule(lambda o: f"/children/merges/{o['merge'].pk}/undo/", CHANGE_PAGE),
    "child": Rule(lambda o: f"/children/{o['child'].pk}/", only(SEES_CHILD, NOT_FOUND)),
    "child_chronology": Rule(lambda o: f"/children/{o['child'].pk}/chronology/",
                             only(SEES_CHILD, NOT_FOUND)),
    "pathway:record_concern": Rule(lambda o: f"/children/{o['child'].pk}/concerns/new/",
                                   CHILD_PAGE),
    "pathway:concern": Rule(lambda o: f"/concerns/{o['concern'].pk}/",
                            only(SEES_CHILD, NOT_FOUND)),
    "pathway:language_check": Rule(lambda o: "/concerns/language-check/",
                                   only(CONTRIBUTORS, FORBIDDEN), method="post"),
    "pathway:refer": Rule(lambda o: f"/children/{o['child'].pk}/refer/", CHILD_PAGE),
    # The designated safeguarding lead's queue and discussion of their agency's concerns
    # (issue 15, item 3): leads only; nobody else named here is one.
    "pathway:discussions": Rule(lambda o: "/concerns/to-discuss/",
                                {**only(set(), FORBIDDEN), "dev": OK}),
    "pathway:discuss": Rule(lambda o: f"/concerns/{o['concern'].pk}/discussion/",
                            {**only(set(), FORBIDDEN), "dev": OK}),
    "pathway:tray": Rule(lambda o: "/referrals/", only({"fiona", "maria", "eve"}, FORBIDDEN)),
    "pathway:referral": Rule(lambda o: f"/referrals/{o['referral'].pk}/",
                             only(SEES_CHILD, NOT_FOUND)),
    "pathway:pathway": Rule(lambda o: f"/children/{o['child'].pk}/pathway/",
                            only(SEES_CHILD, NOT_FOUND)),
    # POSTed empty: those who may change the record see the form again with its errors; those
    # who may only read it are refused; everyone else cannot see the child.
    "pathway:urgent_route": Rule(
        lambda o: f"/children/{o['child'].pk}/pathway/urgent/",
        {**only({"fiona", "maria"}, NOT_FOUND), "alice": FORBIDDEN, "priya": FORBIDDEN},
        method="post",
    ),
    # POSTed empty: only a manager who may change the record records an exception to a required
    # meeting (issue 14); the front door may change the record but is not a manager.
    "pathway:meeting_exception": Rule(
        lambda o: f"/children/{o['child'].pk}/pathway/required/{o['requirement'].pk}/exception/",
        {**only({"maria"}, NOT_FOUND), "fiona": FORBIDDEN, "alice": FORBIDDEN,
         "priya": FORBIDDEN},
        method="post",
    ),
    # POSTed empty: a trafficking response (issue 14, item 6) is recorded by those who may
    # change the record, or who hold its work (the NRM referral waits in the CSE team manager's
    # tray); only a manager who may change the record lets the child leave before the decision.
    "pathway:record_response": Rule(
        lambda o: f"/children/{o['child'].pk}/pathway/responses/{o['response'].pk}/",
        {**only({"maria", "fiona"}, NOT_FOUND), "alice": FORBIDDEN, "priya": FORBIDDEN},
        method="post",
    ),
    "pathway:response_exception": Rule(
        lambda o: f"/children/{o['child'].pk}/pathway/responses/{o['response'].pk}/exception/",
        {**only({"maria"}, NOT_FOUND), "fiona": FORBIDDEN, "alice": FORBIDDEN,
         "priya": FORBIDDEN},
        method="post",
    ),
    # POSTed empty: telling adult safeguarding of a young person aged 18 or over (issue 14,
    # item 10) is recorded by those who may change the record, or who hold its work (the front
    # door's tray while no social worker is allocated); only a manager records an exception.
    "pathway:adult_referral": Rule(
        lambda o: f"/children/{o['child'].pk}/pathway/adult-safeguarding/"
                  f"{o['adult_referral'].pk}/",
        {**only({"maria", "fiona"}, NOT_FOUND), "alice": FORBIDDEN, "priya": FORBIDDEN},
        method="post",
    ),
    "pathway:adult_exception": Rule(
        lambda o: f"/children/{o['child'].pk}/pathway/adult-safeguarding/"
                  f"{o['adult_referral'].pk}/exception/",
        {**only({"maria"}, NOT_FOUND), "fiona": FORBIDDEN, "alice": FORBIDDEN,
         "priya": FORBIDDEN},
        method="post",
    ),
    # Only the area's front door decides; in a coventry area there is no police decision open,
    # so the deciders are sent back to the referral.
    "pathway:police_referral_decision": Rule(
        lambda o: f"/referrals/{o['referral'].pk}/police-decision/",
        {**only(set(), NOT_FOUND), "fiona": REDIRECT, "maria": REDIRECT, "alice": FORBIDDEN,
         "priya": FORBIDDEN},
        method="post",
    ),
    "work": Rule(lambda o: "/work/", only(CONTRIBUTORS, FORBIDDEN)),
    "screening:new": Rule(lambda o: f"/children/{o['child'].pk}/screenings/new/", CHILD_PAGE),
    "screening:suggest": Rule(lambda o: f"/children/{o['child'].pk}/screenings/suggest/",
                              CHILD_PAGE, method="post"),
    "screening:detail": Rule(lambda o: f"/screenings/{o['screening'].pk}/",
                             only(SEES_CHILD, NOT_FOUND)),
    "screening:bichard_new": Rule(
        lambda o: f"/children/{o['child'].pk}/sexual-activity-concerns/new/", CHILD_PAGE),
    "screening:bichard": Rule(lambda o: f"/sexual-activity-concerns/{o['bichard'].pk}/",
                              only(SEES_CHILD, NOT_FOUND)),
    "sharing:record_decision": Rule(lambda o: f"/children/{o['child'].pk}/sharing/new/",
                                    CHILD_PAGE),
    "sharing:decisions": Rule(lambda o: "/sharing/decisions/",
                              only({"fiona", "maria", "eve", "bea"}, FORBIDDEN)),
    "sharing:decision": Rule(lambda o: f"/sharing/decisions/{o['decision'].pk}/",
                             only(SEES_CHILD, NOT_FOUND)),
    "sharing:break_glass": Rule(lambda o: "/emergency-access/", only(CONTRIBUTORS, FORBIDDEN)),
    "sharing:break_glass_reviews": Rule(lambda o: "/emergency-access/reviews/",
                                        only({"maria"}, FORBIDDEN)),
    "sharing:access_log": Rule(lambda o: f"/children/{o['child'].pk}/access-log/",
                               only({"maria", "bea"}, NOT_FOUND)),
    "sharing:audit_lookup": Rule(lambda o: "/audit/", only({"maria", "bea"}, FORBIDDEN)),
    # Intelligence (SPEC §7; lantern/intelligence/access.py). The report about Zephyrine was
    # shared by alice and graded P by priya: police and its author read it in full, others who
    # see her read the sanitised text, analysts see links only and cannot open the report.
    "intelligence:index": Rule(lambda o: "/intelligence/",
                               only(CONTRIBUTORS | {"ana"}, FORBIDDEN)),
    "intelligence:submit": Rule(lambda o: "/intelligence/new/", only(CONTRIBUTORS, FORBIDDEN)),
    "intelligence:report": Rule(lambda o: f"/intelligence/reports/{o['report'].pk}/",
                                only(SEES_CHILD, NOT_FOUND)),
    "intelligence:review": Rule(lambda o: "/intelligence/resolution/",
                                only(INTELLIGENCE_REVIEW, FORBIDDEN)),
    "intelligence:proposal": Rule(lambda o: f"/intelligence/resolution/{o['proposal'].pk}/",
                                  only(INTELLIGENCE_REVIEW, FORBIDDEN)),
    "intelligence:triggers": Rule(lambda o: "/intelligence/triggers/",
                                  only({"maria", "priya"}, FORBIDDEN)),
    "intelligence:trigger": Rule(lambda o: f"/intelligence/triggers/{o['trigger'].pk}/",
                                 only({"maria", "priya"}, NOT_FOUND)),
    "intelligence:chart": Rule(lambda o: f"/intelligence/chart/?focus=c{o['child'].pk}",
                               only(INTELLIGENCE_REVIEW, FORBIDDEN)),
    "intelligence:chart_data": Rule(
        lambda o: f"/intelligence/chart/data/?focus=c{o['child'].pk}",
        only(INTELLIGENCE_REVIEW, FORBIDDEN)),
    "intelligence:chart_neighbours": Rule(
        lambda o: f"/intelligence/chart/neighbours/?focus=c{o['child'].pk}",
        only(INTELLIGENCE_REVIEW, FORBIDDEN)),
    "intelligence:subjects": Rule(lambda o: "/intelligence/subjects/",
                                  only(INTELLIGENCE_REVIEW, FORBIDDEN)),
    # Police record a subject's violence and convictions (POSTed empty: the form again).
    "intelligence:subject_risk": Rule(
        lambda o: f"/intelligence/subjects/{o['subject'].pk}/risk/",
        only({"priya"}, NOT_FOUND), method="post"),
    # Police record who a subject is (sex, ethnic group, nationality, disability; issue 16).
    "intelligence:subject_details": Rule(
        lambda o: f"/intelligence/subjects/{o['subject'].pk}/details/",
        only({"priya"}, NOT_FOUND), method="post"),
    "missing:episodes": Rule(lambda o: f"/children/{o['child'].pk}/missing/", CHILD_PAGE),
    "missing:record_episode": Rule(lambda o: f"/children/{o['child'].pk}/missing/new/",
                                   CHILD_PAGE),
    "missing:resolve_prompt": Rule(
        lambda o: f"/children/{o['child'].pk}/missing/prompts/{o['prompt'].pk}/", CHANGE_PAGE,
        method="post"),
    "missing:episode": Rule(lambda o: f"/missing/{o['episode'].pk}/",
                            only(SEES_CHILD, NOT_FOUND)),
    "missing:record_return": Rule(lambda o: f"/missing/{o['missing_now'].pk}/return/",
                                  only(SEES_CHILD, NOT_FOUND)),
    "missing:interview": Rule(lambda o: f"/missing/{o['episode'].pk}/interview/",
                              only(SEES_CHILD, NOT_FOUND)),
    "missing:profile": Rule(lambda o: f"/children/{o['child'].pk}/missing-profile/",
                            CHILD_PAGE),
    "missing:edit_profile": Rule(lambda o: f"/children/{o['child'].pk}/missing-profile/edit/",
                                 CHANGE_PAGE),
    "missing:photo": Rule(lambda o: f"/children/{o['child'].pk}/missing-profile/photo/",
                          CHILD_PAGE),
    "missing:print": Rule(lambda o: f"/children/{o['child'].pk}/missing-profile/print/",
                          CHILD_PAGE),
    "missing:hand_over": Rule(
        lambda o: f"/children/{o['child'].pk}/missing-profile/hand-over/", CHILD_PAGE),
    "missing:transition": Rule(lambda o: f"/children/{o['child'].pk}/transition/", CHILD_PAGE),
    # Looked-after children (issue 14, item 5): read by whoever sees the child; changed by
    # those who may change the record (the manager's own right is the action's check).
    "missing:looked_after": Rule(lambda o: f"/children/{o['child'].pk}/looked-after/",
                                 CHILD_PAGE),
    "missing:looked_after_status": Rule(
        lambda o: f"/children/{o['child'].pk}/looked-after/status/", CHANGE_PAGE),
    "missing:parents_decision": Rule(
        lambda o: f"/children/{o['child'].pk}/looked-after/parents/", CHANGE_PAGE),
    "missing:propose_measure": Rule(
        lambda o: f"/children/{o['child'].pk}/looked-after/measures/new/", CHANGE_PAGE),
    "missing:measure": Rule(lambda o: f"/looked-after/measures/{o['measure'].pk}/",
                            CHILD_PAGE),
    "missing:placement": Rule(lambda o: f"/children/{o['child'].pk}/looked-after/placement/",
                              CHANGE_PAGE),
    # Meetings and plans (issue 6; lantern/meetings/access.py, lantern/plans/access.py). The
    # MASE about Zephyrine is chaired by maria; priya (police) and alice (the referrer) are
    # invited; priya asked for a closed section and maria granted it. Changes are the chair's
    # and the area's CSE team manager's; the plan is kept by those who may change the child's
    # record (maria, fiona). POSTs are empty: the form again (200) or back with a message (302).
    "meetings:list": Rule(lambda o: "/meetings/", only(CONTRIBUTORS, FORBIDDEN)),
    "meetings:child_meetings": Rule(lambda o: f"/children/{o['child'].pk}/meetings/",
                                    CHILD_PAGE),
    # Convening is for the convenors the profile names (a CSE team manager; police convene
    # CMOG), and for children's social care's practitioners (the front door) with a reason a
    # manager accepts (issue 14, item 2); those who see the child but convene nothing are
    # refused.
    "meetings:convene": Rule(
        lambda o: f"/children/{o['child'].pk}/meetings/new/",
        {**CHILD_PAGE, "alice": FORBIDDEN}),
    "convene_from_trigger": Rule(
        lambda o: f"/intelligence/triggers/{o['complex_trigger'].pk}/convene/",
        {**only({"maria"}, NOT_FOUND), "priya": FORBIDDEN}),
    "meetings:meeting": Rule(lambda o: f"/meetings/{o['meeting'].pk}/", CHILD_PAGE),
    "meetings:invite": Rule(lambda o: f"/meetings/{o['meeting'].pk}/invitations/",
                            MEETING_CHANGE, method="post"),
    "meetings:attendance": Rule(lambda o: f"/meetings/{o['meeting'].pk}/attendance/",
                                MEETING_CHANGE, method="post"),
    "meetings:minutes": Rule(
        lambda o: f"/meetings/{o['meeting'].pk}/agenda/{o['meeting'].agenda.first().pk}/",
        MEETING_CHANGE, method="post"),
    # Any professional invited asks for a closed section; fiona sees the meeting but was not
    # invited.
    "meetings:request_closed": Rule(lambda o: f"/meetings/{o['meeting'].pk}/closed/",
                                    {**CHILD_PAGE, "fiona": FORBIDDEN}, method="post"),
    # Closed sections: the professionals invited and the area's CSE team managers only.
    "meetings:closed_section": Rule(
        lambda o: f"/meetings/{o['meeting'].pk}/closed/{o['closed_section'].pk}/",
        {**CHILD_PAGE, "fiona": NOT_FOUND}),
    "meetings:decision": Rule(lambda o: f"/meetings/{o['meeting'].pk}/decisions/",
                              MEETING_CHANGE, method="post"),
    "meetings:child_record": Rule(
        lambda o: f"/meetings/{o['meeting'].pk}/children/{o['child'].pk}/", CHILD_PAGE),
    "meetings:participation": Rule(
        lambda o: f"/meetings/{o['meeting'].pk}/children/{o['child'].pk}/participation/",
        CHILD_PAGE),
    # Oversight of the risk assessment: the CSE team manager and the police.
    "meetings:oversight": Rule(
        lambda o: f"/meetings/{o['meeting'].pk}/children/{o['child'].pk}/oversight/",
        {**CHILD_PAGE, "maria": REDIRECT, "priya": REDIRECT, "alice": FORBIDDEN,
         "fiona": FORBIDDEN}, method="post"),
    # POSTed empty: the chair sees the meeting again with what is still to record.
    "meetings:conclude": Rule(lambda o: f"/meetings/{o['meeting'].pk}/held/",
                              MEETING_CHANGE, method="post"),
    "meetings:cancel": Rule(lambda o: f"/meetings/{o['meeting'].pk}/cancel/",
                            MEETING_CHANGE, method="post"),
    # Only a CSE team manager of an area whose agreement a joint meeting awaits records it;
    # the world's meeting is about one area's child, so everyone who sees it is refused.
    "meetings:agreement": Rule(lambda o: f"/meetings/{o['meeting'].pk}/agreement/",
                               {name: FORBIDDEN if code == 200 else code
                                for name, code in CHILD_PAGE.items()}, method="post"),
    # Only a manager of the convening area (not the convenor or the chair) accepts a chair of
    # a role the profile does not name; the world's meeting is chaired by a CSE team manager, so
    # nobody's acceptance is awaited and everyone who sees it is refused.
    "meetings:chair_decision": Rule(lambda o: f"/meetings/{o['meeting'].pk}/chair/",
                                    {name: FORBIDDEN if code == 200 else code
                                     for name, code in CHILD_PAGE.items()}, method="post"),
    # Likewise a convenor of a role the profile does not name: the world's meeting is convened
    # by a CSE team manager, so nobody's acceptance is awaited and everyone is refused.
    "meetings:convenor_decision": Rule(lambda o: f"/meetings/{o['meeting'].pk}/convenor/",
                                       {name: FORBIDDEN if code == 200 else code
                                        for name, code in CHILD_PAGE.items()}, method="post"),
    "meetings:minutes_pdf": Rule(lambda o: f"/meetings/{o['meeting'].pk}/minutes.pdf",
                                 CHILD_PAGE),
    "plans:plan": Rule(lambda o: f"/children/{o['child'].pk}/plan/", CHILD_PAGE),
    "plans:start": Rule(lambda o: f"/children/{o['child'].pk}/plan/start/",
                        {**PLAN_CHANGE, "maria": REDIRECT, "fiona": REDIRECT}, method="post"),
    "plans:add_action": Rule(lambda o: f"/children/{o['child'].pk}/plan/actions/new/",
                             PLAN_CHANGE),
    "plans:measures": Rule(lambda o: f"/children/{o['child'].pk}/plan/measures/", PLAN_CHANGE),
    "plans:close": Rule(lambda o: f"/children/{o['child'].pk}/plan/close/",
                        {**PLAN_CHANGE, "maria": REDIRECT, "fiona": REDIRECT}, method="post"),
    "plans:plan_pdf": Rule(lambda o: f"/children/{o['child'].pk}/plan.pdf", CHILD_PAGE),
    "plans:action": Rule(lambda o: f"/plan-actions/{o['action'].pk}/", CHILD_PAGE),
    "plans:breach": Rule(lambda o: f"/plan-actions/{o['action'].pk}/breaches/",
                         {**PLAN_CHANGE, "maria": REDIRECT, "fiona": REDIRECT}, method="post"),
    "api-root": Rule(lambda o: "/api/", _everyone(OK)),
    "api-schema": Rule(lambda o: "/api/schema/", _everyone(OK)),
    "api-child-list": Rule(lambda o: "/api/children/", only(CONTRIBUTORS, FORBIDDEN)),
    "api-child-detail": Rule(lambda o: f"/api/children/{o['child'].pk}/",
                             only(SEES_CHILD, NOT_FOUND, contributors_only=True)),
    "api-referral-list": Rule(lambda o: "/api/referrals/", only(CONTRIBUTORS, FORBIDDEN)),
    "api-referral-detail": Rule(lambda o: f"/api/referrals/{o['referral'].pk}/",
                                only(SEES_CHILD, NOT_FOUND, contributors_only=True)),
}

# Views that are not about anyone's records: signing in and out, the health check. Each is
# tested in lantern/foundation/tests/test_sign_in.py and test_security.py.
PUBLIC_OR_SIGN_IN = {"login", "logout", "mfa_verify", "mfa_setup", "healthz"}


def _names(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # Django admin: staff only, holds no children (foundation/admin.py)
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def test_every_view_has_an_access_rule():
    names = set(_names(get_resolver().url_patterns))
    missing = names - set(RULES) - PUBLIC_OR_SIGN_IN
    assert not missing, f"views without a rule in the access matrix: {sorted(missing)}"
    stale = set(RULES) - names
    assert not stale, f"rules for views that no longer exist: {sorted(stale)}"


def _build_world(p) -> dict:
    """Zephyrine's records, every kind of object a view above opens."""
    child = testing.make_child(p.alice, given_names="Zephyrine", family_name="Quillfeather",
                               looked_after=True)
    concern = testing.make_concern(child, p.alice)
    screening = testing.make_screening(child, p.alice)
    referral = testing.make_referral(child, p.alice, screening=screening, concern=concern)
    decision = sharing_actions.record_sharing_decision(
        child, by=p.alice, outcome="shared", what="The concern", recipient="MASH",
        purpose="Referral", lawful_basis="public_task", consent="given",
        decided_by_name="Dev Sandhu, DSL",
    )
    intel = _intelligence(p, child)
    from lantern.screening.actions import record_bichard

    bichard = record_bichard(child, by=p.alice, answers={}, discussed_with="DSL",
                             refer_to_social_care=True, reasons="Adult partner",
                             consent="given")
    # Three episodes in 30 days (the pattern prompts work), one of them missing now.
    episode = missing_testing.make_episode(child, p.priya)
    missing_testing.make_episode(child, p.priya, went_missing_at=timezone.now() - timedelta(9))
    missing_now = missing_testing.make_episode(child, p.priya, back_after=None)
    missing_testing.make_profile(child, p.fiona)
    prompt = WorkItem.objects.get(child=child, kind="strategy_discussion")
    from lantern.pathway import actions as pathway_actions
    # Two records of another child, merged by the front door (issue 15, item 2).
    kept = testing.make_child(p.alice, given_names="Wren", family_name="Ashdown")
    merge = people_actions.merge_children(
        kept, testing.make_child(p.alice, given_names="Wren", family_name="Ashdowne"),
        by=p.fiona, reason="The school confirmed it")
    child = people_actions.set_looked_after(child, by=p.fiona, version=child.version,
                                            looked_after=True, legal_status="care_order",
                                            reason="Care order made")
    measure = missing_actions.propose_measure(
        child, by=p.fiona, kind="confiscate_property", detail="The second phone",
        reason="Used to groom her", order_in_place="Interim care order")
    from lantern.pathway.models import MeetingRequirement

    # She may have been moved around to be abused: the NRM referral is tracked (issue 14).
    pathway_actions.open_responses(child, framework="wm", category=2,
                                   indicators=["wm3.moved_around"], by=p.maria)
    # Adult safeguarding to be told, as for a young person aged 18 or over (issue 14, item 10).
    pathway_actions.open_adult_referral(child, age=19, by=p.maria, trigger="Aged 19")

    from lantern.monitoring import actions as monitoring_actions

    sample = monitoring_actions.draw_dip_sample(area=child.area, month=timezone.localdate(),
                                                size=5, by=p.bea, seed=1)
    return {"dip_sample": sample, "dip_sample_item": sample.items.get(),
            "child": child, "concern": concern, "screening": screening, "referral": referral,
            "requirement": MeetingRequirement.objects.get(child=child),
            "response": child.tracked_responses.get(code="nrm_referral"),
            "adult_referral": child.adult_referrals.get(),
            "decision": decision, "bichard": bichard, "episode": episode,
            "missing_now": missing_now, "prompt": prompt, "merge": merge, "measure": measure,
            **intel,
            **_meeting_and_plan(p, child)}


# The partnership and the world are built once for the module's 1,000-odd cases (building them
# took most of the matrix's time). Each case is still its own test: it gets its own copy of the
# objects and its own transaction, rolled back after it, so a POST one case is allowed to make
# (starting a plan, concluding a meeting) never reaches another.
#
# Everyone signs in once too, with the world: each case starts from its person's session as
# signing in left it, and whatever the case changes in the session is rolled back with the rest.
# (Signing in for each case took a fifth of the module's time, two dozen queries.) Sessions older
# than SESSION_REUSE_SECONDS, well inside the 30-minute idle timeout, are not used: the case signs
# in afresh.
SESSION_REUSE_SECONDS = 10 * 60


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker, tmp_path_factory):
    def build():
        p = testing.build_partnership()
        world = _build_world(p)
        sessions = {name: testing.signed_in_session(getattr(p, name))
                    for name in EVERYONE + EXTRA_PEOPLE}
        return p, world, (time.time(), sessions)

    yield from testing.built_once(django_db_blocker, build,
                                  files=tmp_path_factory.mktemp("matrix"))


@pytest.fixture
def _fresh(db, _built):
    return testing.fresh(_built)


@pytest.fixture
def p(_fresh):
    return _fresh[0]


@pytest.fixture
def world(_fresh):
    return _fresh[1]


@pytest.fixture
def sign_in(client, p, _built):
    """`sign_in("alice")`: the test client, signed in as one of the named people."""
    made_at, sessions = _built[2]

    def sign_in_as(name: str):
        if time.time() - made_at < SESSION_REUSE_SECONDS:
            return testing.use_session(client, sessions[name])
        return testing.sign_in_client(client, getattr(p, name))

    return sign_in_as


@pytest.fixture(autouse=True)
def _private_files():
    """The module's files (the missing-person photo) stay in its folder (`_built`)."""


def _meeting_and_plan(p, child) -> dict:
    """A MASE about Zephyrine chaired by maria, with priya and alice invited and a closed
    section priya asked for and maria granted; her plan, with a safety action maria owns."""
    from lantern.intelligence.models import Trigger
    from lantern.meetings import actions as meetings
    from lantern.meetings.tests import helpers
    from lantern.plans import actions as plans

    meeting = helpers.convene(p, [child], invite=[("referrer", p.alice)])
    section = meetings.request_closed_section(meeting, by=p.priya,
                                              reason="Information about the suspect")
    meetings.decide_closed_section(section, by=p.maria, grant=True,
                                   explanation_to_family="Police information about others")
    meetings.save_closed_minutes(section, minutes="The suspect is under investigation.",
                                 by=p.maria)
    plan = plans.start_plan(child, by=p.maria)
    action, _ = plans.add_action(plan, version=plan.version, by=p.maria, kind="safety",
                                 description="Agree a safe word", risk="Going missing",
                                 owner=p.maria)
    return {"meeting": meeting, "closed_section": section, "plan": plan, "action": action,
            "complex_trigger": Trigger.objects.filter(kind="complex_strategy").first()}


def _intelligence(p, child) -> dict:
    """Two reports naming one man (as 'Mo Khan' and 'Mohammed Khan', the same phone) and one
    flat, about Zephyrine and another Northbridge child: a merge to review and both triggers."""
    from lantern.intelligence.models import Entity, MergeProposal, Trigger
    from lantern.intelligence.tests import helpers as h

    other = testing.make_child(p.alice, given_names="Ember", family_name="Linwood")
    first = h.report(p.alice, [child], h.person("Mo", "Khan", phone="07700 900123"),
                     h.place("Flat 2, 10 Mill Road", postcode="NB1 1AA"))
    second = h.report(p.alice, [other], h.person("Mohammed", "Khan", phone="07700900123"),
                      h.place("Flat 2, 10 Mill Road", postcode="NB1 1AA"))
    h.grade(first, p.priya)
    h.grade(second, p.priya)
    return {
        "other_child": other,
        "report": first,
        "proposal": MergeProposal.objects.get(),
        "trigger": Trigger.objects.order_by("pk").first(),
        "subject": Entity.objects.filter(kind="subject").order_by("pk").first(),
    }


CELLS = [(view, user) for view in RULES for user in EVERYONE] + [
    (view, user) for view, rule in RULES.items() for user in EXTRA_PEOPLE if user in rule.expect]


@pytest.mark.parametrize(("view", "user"), CELLS, ids=[f"{v}-{u}" for v, u in CELLS])
def test_access_matrix(world, sign_in, view, user):
    rule = RULES[view]
    response = getattr(sign_in(user), rule.method)(rule.path(world))
    expected = rule.expect[user]
    assert response.status_code == expected, (
        f"{user} on {view}: expected {expected}, got {response.status_code}"
    )
    if user not in SEES_CHILD | EXTRA_SEES_CHILD and response.status_code == OK:
        assert NAME not in response.content.decode(), f"{view} shows the child's name to {user}"
    if response.status_code == OK and not response.streaming:
        # Citations name the published procedure, never the team's file name (seed 00N).
        assert b"seed 00" not in response.content.lower(), f"{view} cites 'seed 00N' to {user}"


@pytest.mark.parametrize("view", ["meetings:minutes_pdf", "plans:plan_pdf"])
def test_pdfs_name_the_procedures_they_cite(world, sign_in, view, monkeypatch):
    """The PDFs' text is compressed: the HTML they are drawn from is checked instead."""
    import weasyprint

    drawn = []
    real = weasyprint.HTML

    def drawing(*, string):
        drawn.append(string)
        return real(string=string)

    monkeypatch.setattr(weasyprint, "HTML", drawing)
    assert sign_in("maria").get(RULES[view].path(world)).status_code == OK
    assert drawn and "seed 00" not in drawn[0].lower()


@pytest.mark.parametrize("view", sorted(RULES))
def test_anonymous_visitors_are_never_shown_a_view(client, world, view):
    rule = RULES[view]
    response = getattr(client, rule.method)(rule.path(world))
    assert response.status_code in (302, 401, 403)  # 401: the JSON endpoints (drafts)
    if response.status_code == 302:
        assert response["Location"].startswith("/sign-in/")


# Views that read something about one child: opening each writes an audit row naming the child.
CHILD_READS = ["child", "pathway:record_concern", "pathway:concern", "pathway:refer",
               "pathway:referral", "screening:new", "screening:detail",
               "sharing:record_decision", "sharing:decision", "api-child-detail",
               "api-referral-detail", "missing:episodes", "missing:record_episode",
               "missing:episode", "missing:record_return", "missing:interview",
               "missing:profile", "missing:photo", "missing:print", "missing:hand_over",
               "missing:transition", "missing:looked_after", "missing:measure",
               "meetings:child_meetings", "meetings:meeting",
               "meetings:closed_section", "meetings:child_record", "meetings:participation",
               "meetings:minutes_pdf", "plans:plan", "plans:action", "plans:plan_pdf"]


@pytest.mark.parametrize("view", CHILD_READS)
def test_every_read_of_the_childs_record_is_audited(p, world, sign_in, view):
    from lantern.foundation.models import AuditEvent

    client = sign_in("priya")
    before = AuditEvent.objects.filter(child=world["child"], actor=p.priya).count()
    assert client.get(RULES[view].path(world)).status_code == OK
    after = AuditEvent.objects.filter(child=world["child"], actor=p.priya).count()
    assert after == before + 1


def test_access_log_for_auditors_does_not_name_the_child(p, world, client):
    testing.sign_in_client(client, p.fiona).get(f"/children/{world['child'].pk}/")
    body = testing.sign_in_client(client, p.bea).get(
        f"/children/{world['child'].pk}/access-log/"
    ).content.decode()
    assert f"Child reference {world['child'].pk}" in body
    assert "fiona" in body and NAME not in body


# --- Every write (issue 13) ----------------------------------------------------------------
# Every URL that accepts a POST has a rule here, found by asking each view which methods it
# accepts (require_http_methods, a class-based view's handlers, an API viewset's actions); a
# view that does not say is taken to accept POST. Each write is POSTed empty by every named
# person, and again by carol (a teacher in Eastmoor, who otherwise sees nothing of Zephyrine)
# holding exactly one grant of each kind, live, expired, revoked or read-only. Those allowed
# see the form again with its errors (200) or are sent back (302); those who may only read are
# refused (403); those who may not see are told nothing (404). Whatever a permitted POST
# changes is rolled back with its case.

def _allowed_methods(callback) -> set[str] | None:
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is not None:
        actions = getattr(callback, "actions", None)
        if actions:
            return {m.upper() for m in actions}
        return {m.upper() for m in view_class.http_method_names if hasattr(view_class, m)}
    func = callback
    while func is not None:
        try:
            nonlocals = inspect.getclosurevars(func).nonlocals
        except TypeError:
            nonlocals = {}
        if "request_method_list" in nonlocals:  # django.views.decorators.http
            return {m.upper() for m in nonlocals["request_method_list"]}
        func = getattr(func, "__wrapped__", None)
    return None


def _post_names(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _post_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            methods = _allowed_methods(entry.callback)
            if methods is None or "POST" in methods:
                yield f"{namespace}{entry.name}"


# What a write needs, for the grant cells: "add" (any live grant that is not read-only: a
# concern, a screening, a referral...), "change" (a grant that changes the record: an
# allocation), or "role" (a role or a part in a meeting; no grant alone gives it).
ADD, CHANGE, ROLE = "add", "change", "role"


@dataclass
class Write:
    path: Callable[[dict], str]
    expect: dict
    needs: str
    # Whether the write is about Zephyrine (the grant cells try only those).
    about_child: bool = True


def _post(name: str, needs: str, expect: dict | None = None, *, about_child: bool = True,
          path: Callable[[dict], str] | None = None) -> Write:
    rule = RULES[name]
    return Write(path or rule.path, expect if expect is not None else rule.expect, needs,
                 about_child)


# Those who may add to Zephyrine's record: alice (her school added it), the area's front door,
# CSE team manager and police; sam, unallocated, may not see her.
ADD_PAGE = only(SEES_CHILD, NOT_FOUND, contributors_only=True)
# Decided or moved on by the area's front door and CSE team manager only.
DECIDE = {**only(SEES_CHILD, NOT_FOUND), "alice": FORBIDDEN, "priya": FORBIDDEN}
WRITES: dict[str, Write] = {
    "change_password": _post("change_password", ROLE, about_child=False),
    "people:add": _post("people:add", ROLE, about_child=False),
    "people:correct": _post("people:correct", CHANGE, CHANGE_PAGE),
    # A grant alone never gives the right to merge: it is the front door's (issue 15).
    "people:merge_compare": _post("people:merge_compare", ROLE, CHANGE_PAGE),
    "people:merge_undo": _post("people:merge_undo", ROLE, CHANGE_PAGE, about_child=False),
    "pathway:language_check": _post("pathway:language_check", ROLE, about_child=False),
    "sharing:break_glass": _post("sharing:break_glass", ROLE, about_child=False),
    # An empty review names no grant: the manager is told there is none.
    "sharing:break_glass_reviews": _post("sharing:break_glass_reviews", ROLE,
                                         {**only(set(), FORBIDDEN), "maria": NOT_FOUND},
                                         about_child=False),
    "pathway:record_concern": _post("pathway:record_concern", ADD, ADD_PAGE),
    "pathway:refer": _post("pathway:refer", ADD, ADD_PAGE),
    # Posted empty, the lead sees the form again with its errors.
    "pathway:discuss": _post("pathway:discuss", ROLE),
    "screening:new": _post("screening:new", ADD, ADD_PAGE),
    "screening:suggest": _post("screening:suggest", ADD),
    "screening:bichard_new": _post("screening:bichard_new", ADD, ADD_PAGE),
    "sharing:record_decision": _post("sharing:record_decision", ADD, ADD_PAGE),
    "missing:record_episode": _post("missing:record_episode", ADD, ADD_PAGE),
    "missing:record_return": _post("missing:record_return", ADD),
    "missing:interview": _post("missing:interview", ADD),
    "missing:hand_over": _post("missing:hand_over", ADD),
    "missing:transition": _post("missing:transition", CHANGE, CHANGE_PAGE),
    "missing:edit_profile": _post("missing:edit_profile", CHANGE),
    "missing:resolve_prompt": _post("missing:resolve_prompt", CHANGE),
    "missing:looked_after_status": _post("missing:looked_after_status", CHANGE),
    "missing:parents_decision": _post("missing:parents_decision", CHANGE),
    "missing:propose_measure": _post("missing:propose_measure", CHANGE),
    "missing:measure": _post("missing:measure", CHANGE, CHANGE_PAGE),
    "missing:placement": _post("missing:placement", CHANGE),
    "intelligence:submit": _post(
        "intelligence:submit", ADD, ADD_PAGE,
        path=lambda o: f"/intelligence/new/?child={o['child'].pk}"),
    "pathway:referral": _post("pathway:referral", ROLE, DECIDE),
    "pathway:police_referral_decision": _post("pathway:police_referral_decision", ROLE),
    "pathway:pathway": _post("pathway:pathway", CHANGE, DECIDE),
    "pathway:urgent_route": _post("pathway:urgent_route", CHANGE),
    "pathway:meeting_exception": _post("pathway:meeting_exception", ROLE),
    "pathway:record_response": _post("pathway:record_response", CHANGE),
    "pathway:response_exception": _post("pathway:response_exception", ROLE),
    "pathway:adult_referral": _post("pathway:adult_referral", CHANGE),
    "pathway:adult_exception": _post("pathway:adult_exception", ROLE),
    # Grading is for police; the others who see the report may not grade it.
    "intelligence:report": _post("intelligence:report", ROLE, {
        **only({"priya"}, NOT_FOUND), "alice": FORBIDDEN, "fiona": FORBIDDEN,
        "maria": FORBIDDEN}),
    "intelligence:proposal": _post("intelligence:proposal", ROLE, about_child=False),
    "intelligence:trigger": _post("intelligence:trigger", ROLE,
                                  {**only({"maria"}, NOT_FOUND), "priya": FORBIDDEN}),
    "intelligence:subject_risk": _post("intelligence:subject_risk", ROLE, about_child=False),
    "intelligence:subject_details": _post("intelligence:subject_details", ROLE,
                                          about_child=False),
    "convene_from_trigger": _post("convene_from_trigger", ROLE),
    "meetings:convene": _post("meetings:convene", ROLE),
    "meetings:invite": _post("meetings:invite", ROLE),
    "meetings:attendance": _post("meetings:attendance", ROLE),
    "meetings:minutes": _post("meetings:minutes", ROLE),
    "meetings:request_closed": _post("meetings:request_closed", ROLE),
    # Only the chair records a closed section; the others invited read it.
    "meetings:closed_section": _post("meetings:closed_section", ROLE, {
        **RULES["meetings:closed_section"].expect, "alice": FORBIDDEN, "priya": FORBIDDEN}),
    "meetings:decision": _post("meetings:decision", ROLE),
    "meetings:child_record": _post("meetings:child_record", ROLE, MEETING_CHANGE),
    "meetings:participation": _post("meetings:participation", ROLE, MEETING_CHANGE),
    "meetings:oversight": _post("meetings:oversight", ROLE),
    "meetings:conclude": _post("meetings:conclude", ROLE),
    "meetings:cancel": _post("meetings:cancel", ROLE),
    "meetings:agreement": _post("meetings:agreement", ROLE),
    "meetings:chair_decision": _post("meetings:chair_decision", ROLE),
    "meetings:convenor_decision": _post("meetings:convenor_decision", ROLE),
    "admin_add_agency": _post("admin_add_agency", ROLE, about_child=False),
    "admin_add_person": _post("admin_add_person", ROLE, about_child=False),
    "admin_person": _post("admin_person", ROLE, about_child=False),
    # A decision naming no pending change is refused as unknown.
    # A draft with no fields is refused as unreadable, for everyone alike.
    "drafts": _post("drafts", ROLE, {name: 400 for name in EVERYONE}, about_child=False),
    "draft_discard": _post("draft_discard", ROLE, about_child=False),
    "keep_alive": _post("keep_alive", ROLE, about_child=False),
    # An empty POST marks all of one's own notifications read.
    "notifications": _post("notifications", ROLE, _everyone(REDIRECT), about_child=False),
    "account_changes": _post("account_changes", ROLE,
                             {**only(set(), FORBIDDEN), "ade": NOT_FOUND}, about_child=False),
    # Counting the data set again (issue 17): the monitoring roles, then back to the figures.
    "monitoring:data_set": _post("monitoring:data_set", ROLE, {
        **only(set(), FORBIDDEN), **{name: REDIRECT for name in NO_IDENTITY}},
        about_child=False),
    "monitoring:add_lead": _post("monitoring:add_lead", ROLE, about_child=False),
    "monitoring:remove_lead": _post("monitoring:remove_lead", ROLE, about_child=False),
    "monitoring:tasking_decide": _post("monitoring:tasking_decide", ROLE, about_child=False),
    # An empty period is re-asked (200) of the monitoring roles.
    "monitoring:review_new": _post("monitoring:review_new", ROLE, about_child=False),
    "monitoring:review": _post("monitoring:review", ROLE, about_child=False),
    "monitoring:review_issue": _post("monitoring:review_issue", ROLE, about_child=False),
    # An empty month is re-asked (200) of those who draw samples (auditors, administrators).
    "monitoring:dip_samples": _post("monitoring:dip_samples", ROLE,
                                    {**only({"bea", "ade"}, FORBIDDEN)}, about_child=False),
    # An empty save by the auditor keeps what was there and goes back to the audit.
    "monitoring:dip_sample_item": _post("monitoring:dip_sample_item", ROLE, {
        **only(set(), NOT_FOUND), "bea": REDIRECT, "ana": FORBIDDEN, "ade": FORBIDDEN},
        about_child=False),
    "monitoring:dip_sample_action": _post("monitoring:dip_sample_action", ROLE,
                                          about_child=False),
    "monitoring:dip_sample_action_done": _post("monitoring:dip_sample_action_done", ROLE,
                                               about_child=False),
    "plans:start": _post("plans:start", CHANGE),
    "plans:add_action": _post("plans:add_action", CHANGE),
    "plans:measures": _post("plans:measures", CHANGE),
    "plans:close": _post("plans:close", CHANGE),
    "plans:action": _post("plans:action", CHANGE, PLAN_CHANGE),
    "plans:breach": _post("plans:breach", CHANGE),
}


def test_every_write_has_an_access_rule():
    names = set(_post_names(get_resolver().url_patterns)) - PUBLIC_OR_SIGN_IN
    missing = names - set(WRITES)
    assert not missing, f"URLs that accept POST without a rule in WRITES: {sorted(missing)}"
    stale = set(WRITES) - names
    assert not stale, f"rules for writes that no longer accept POST: {sorted(stale)}"


def _post_as(client, write: Write, world: dict) -> int:
    return client.post(write.path(world)).status_code


WRITE_CELLS = [(view, user) for view in WRITES for user in EVERYONE] + [
    (view, user) for view, write in WRITES.items() for user in EXTRA_PEOPLE
    if user in write.expect]


@pytest.mark.parametrize(("view", "user"), WRITE_CELLS,
                         ids=[f"{v}-{u}" for v, u in WRITE_CELLS])
def test_write_matrix(world, sign_in, view, user):
    write = WRITES[view]
    got = _post_as(sign_in(user), write, world)
    expected = write.expect[user]
    assert got == expected, f"{user} POST {view}: expected {expected}, got {got}"


# Carol's grants: (basis, state). Each basis is granted as its flow grants it (allocation
# changes the record, emergency access is read-only, the rest add to it); "expired" ended a
# minute ago, "revoked" was ended by a manager, "read-only" is a cross-area agreement to read.
GRANT_STATES = [(basis, "live") for basis in GrantBasis.values] + [
    (basis, "expired") for basis in GrantBasis.values] + [
    (GrantBasis.CROSS_AREA_AGREEMENT, "revoked"), (GrantBasis.CROSS_AREA_AGREEMENT, "read-only")]


# Granted read-only by their flows: emergency access, and a dip-sample auditor's.
READ_ONLY_BASES = {GrantBasis.BREAK_GLASS, GrantBasis.DIP_SAMPLE_AUDIT}


def _give_carol(p, child, basis: str, state: str) -> None:
    now = timezone.now()
    expired = state == "expired"
    to_agency = basis == GrantBasis.REFERRAL_ROUTING  # granted to her school, as the flow does
    row = grants.grant(
        child, basis=basis, by=p.maria, reason="The write matrix",
        user=None if to_agency else p.carol, agency=p.eastmoor_high if to_agency else None,
        read_only=basis in READ_ONLY_BASES or state == "read-only",
        changes=basis == GrantBasis.ALLOCATION,
        starts_at=now - timedelta(days=2) if expired else None,
        ends_at=now - timedelta(minutes=1) if expired else None)
    if state == "revoked":
        grants.revoke(row, by=p.maria, reason="The write matrix")


# Where carol, holding a grant, gets other than alice: alice is invited to the meeting, and a
# grant is not an invitation (she neither asks for nor reads a closed section).
NOT_AS_ALICE = {"meetings:request_closed": FORBIDDEN, "meetings:closed_section": NOT_FOUND}


def _expected_for_grant(view: str, basis: str, state: str) -> int:
    """What carol gets when the grant is all she has: nothing from an expired or revoked one;
    with a live one what alice (whose school holds a grant) gets, except that read-only access
    is refused every write and only an allocation changes the record (as the front door)."""
    write = WRITES[view]
    if state in ("expired", "revoked"):
        return write.expect["carol"]
    read_only = basis in READ_ONLY_BASES or state == "read-only"
    teacher = NOT_AS_ALICE.get(view, write.expect["alice"])
    if write.needs == CHANGE and basis == GrantBasis.ALLOCATION and not read_only:
        return write.expect["fiona"]
    if write.needs == CHANGE:
        return FORBIDDEN
    if read_only and teacher in (OK, REDIRECT):
        return FORBIDDEN
    return teacher


GRANT_CELLS = [(view, basis, state) for view, write in WRITES.items() if write.about_child
               for basis, state in GRANT_STATES]


@pytest.mark.parametrize(("view", "basis", "state"), GRANT_CELLS,
                         ids=[f"{v}-{b}-{s}" for v, b, s in GRANT_CELLS])
def test_write_matrix_by_grant(p, world, sign_in, view, basis, state):
    _give_carol(p, world["child"], basis, state)
    got = _post_as(sign_in("carol"), WRITES[view], world)
    expected = _expected_for_grant(view, basis, state)
    assert got == expected, f"carol with {state} {basis} POST {view}: expected {expected}, " \
                            f"got {got}"


def test_a_view_that_does_not_say_its_methods_is_taken_as_a_write():
    from django.views.decorators.http import require_http_methods

    def undeclared(request):
        return None

    assert _allowed_methods(undeclared) is None
    assert _allowed_methods(require_http_methods(["GET"])(undeclared)) == {"GET"}
    assert _allowed_methods(require_http_methods(["GET", "POST"])(undeclared)) == {"GET", "POST"}
