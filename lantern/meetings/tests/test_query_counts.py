"""Meeting pages cost a fixed number of queries however many meetings, children, invitations
and decisions there are."""

from lantern import testing
from lantern.meetings import actions
from lantern.meetings.tests import helpers as h

# Queries: session, user, OTP device, overdue banner, meetings with their areas and chairs,
# their children (prefetched), which of those the user may see, the audit chain head and row
# and the children it showed (one insert); nothing per meeting. (The user's agency comes with
# the user since issue 18: one query fewer.)
# (The session is saved only when it changes or is a minute old since issue 18: three fewer.)
MEETINGS_LIST = 12
# Queries: session, user, device, banner, the meeting, invitations, children's records, which
# the user sees, closed sections, decisions, agenda, the checks on who may do what, forms'
# choices, audit rows (one per child the user sees): nothing per invitation, agenda item or
# decision. (The user's agency comes with the user since issue 18: one query fewer.)
# (The session is saved only when it changes or is a minute old since issue 18: three fewer.)
MEETING_PAGE = 26


def _count(client, url, django_assert_num_queries, expected: int) -> None:
    client.get(url)  # the banner's counts are kept a minute per session: count the page warm
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


def test_the_meetings_list_stays_flat_as_meetings_grow(p, child, as_user,
                                                       django_assert_num_queries):
    h.convene(p, [child])
    client = as_user(p.maria)
    _count(client, "/meetings/", django_assert_num_queries, MEETINGS_LIST)
    for i in range(4):
        other = testing.make_child(p.alice, given_names=f"Child{i}")
        h.convene(p, [other, child], kind="complex_strategy")
    _count(client, "/meetings/", django_assert_num_queries, MEETINGS_LIST)


def test_the_meeting_page_stays_flat_as_it_fills(p, child, as_user,
                                                 django_assert_num_queries):
    meeting = h.convene(p, [child])
    client = as_user(p.maria)
    url = meeting.get_absolute_url()
    _count(client, url, django_assert_num_queries, MEETING_PAGE)
    for i in range(5):
        user = testing.UserFactory(username=f"guest{i}", role="referrer", agency=p.hillcrest)
        actions.invite(meeting, by=p.maria, invitee="education_cse_lead", user=user)
        actions.record_decision(meeting, children=[child], text=f"Decision {i}", by=p.maria)
        actions.request_closed_section(meeting, by=p.priya, reason=f"Reason {i}")
    for item in meeting.agenda.all():
        actions.save_minutes(item, minutes="Minuted", version=item.version, by=p.maria)
    _count(client, url, django_assert_num_queries, MEETING_PAGE)
