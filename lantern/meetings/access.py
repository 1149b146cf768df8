"""Who sees and changes meetings and their closed sections, built on lantern.foundation.access.
Deny by default; 404 for outsiders, 403 for a change without the right.

- A meeting is seen by whoever may see a child it is about (lantern.foundation.access: that
  includes the professionals invited to it).
- It is changed (minutes, attendance, each child's record) by its chair, its convenor and the
  CSE team managers of the convening area.
- A closed section is read only by the professionals invited to the meeting (the chair and
  convenor are) and by the CSE team managers of the areas involved, who coordinate and analyse
  everything from the meetings (seed 001). Never by the child or family: they have no account,
  and nothing made for them carries it (lantern/meetings/pdf.py, family version).
- Any professional invited may ask for a closed section; only the chair grants it (seed 001).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from lantern.foundation.access import NO_IDENTITY_ROLES, is_active_user, visible_children
from lantern.foundation.models import Role

from .models import ClosedSection, Invitation, Meeting, MeetingChild


def visible_meetings(user) -> QuerySet[Meeting]:
    if not is_active_user(user) or user.role in NO_IDENTITY_ROLES:
        return Meeting.objects.none()
    about_visible = MeetingChild.objects.filter(meeting=OuterRef("pk"),
                                                child__in=visible_children(user))
    return Meeting.objects.filter(Exists(about_visible))


def can_change(user, meeting: Meeting) -> bool:
    if not is_active_user(user) or user.role in NO_IDENTITY_ROLES:
        return False
    if user.pk in (meeting.chair_id, meeting.convened_by_id):
        return True
    return user.role == Role.CSE_MANAGER and user.agency.area_id == meeting.area_id


def get_meeting_for_user(user, meeting_id, *, for_change: bool = False
                         ) -> tuple[Meeting, bool]:
    meeting = (visible_meetings(user).select_related("area", "chair", "convened_by")
               .filter(pk=meeting_id).first())
    if meeting is None:
        raise Http404("No meeting found")
    may_change = can_change(user, meeting)
    if for_change and not may_change:
        raise PermissionDenied("Only the chair, the convenor or the area's CSE team manager "
                               "changes the record of this meeting.")
    return meeting, may_change


def is_invited_professional(user, meeting: Meeting) -> bool:
    return is_active_user(user) and Invitation.objects.filter(meeting=meeting, user=user,
                                                       professional=True).exists()


def areas_involved(meeting: Meeting) -> set[int]:
    return {meeting.area_id, *meeting.records.values_list("child__area_id", flat=True)}


def can_read_closed(user, meeting: Meeting) -> bool:
    if not is_active_user(user) or user.role in NO_IDENTITY_ROLES:
        return False
    if is_invited_professional(user, meeting):
        return True
    return user.role == Role.CSE_MANAGER and user.agency.area_id in areas_involved(meeting)


def can_request_closed(user, meeting: Meeting) -> bool:
    return meeting.is_open and (is_invited_professional(user, meeting)
                                or can_change(user, meeting))


def get_closed_section_for_user(user, meeting_id, section_id, *, for_change: bool = False
                                ) -> tuple[ClosedSection, bool]:
    """The section (with its meeting) and whether the user is its chair, who decides and
    records it. 404 for anyone who may not read closed sections of the meeting."""
    meeting, _ = get_meeting_for_user(user, meeting_id)
    if not can_read_closed(user, meeting):
        raise Http404("No closed section found")
    section = (ClosedSection.objects.select_related("requested_by", "decided_by", "agenda_item")
               .filter(meeting=meeting, pk=section_id).first())
    if section is None:
        raise Http404("No closed section found")
    section.meeting = meeting
    is_chair = user.pk == meeting.chair_id
    if for_change and not is_chair:
        raise PermissionDenied("Only the chair decides on and records a closed section.")
    return section, is_chair


def get_record_for_user(user, meeting_id, child_id, *, for_change: bool = False
                        ) -> tuple[MeetingChild, bool]:
    """A child's own record of the meeting: 404 unless the user may see that child."""
    meeting, may_change = get_meeting_for_user(user, meeting_id, for_change=for_change)
    record = (MeetingChild.objects.select_related("child__area", "meeting__area",
                                                  "manager_oversight_by", "police_oversight_by",
                                                  "participation_decided_by")
              .filter(meeting=meeting, child_id=child_id,
                      child__in=visible_children(user)).first())
    if record is None:
        raise Http404("No record found")
    return record, may_change


def oversight_role(user, record: MeetingChild) -> str:
    """'manager' or 'police' when the user may sign the risk assessment's oversight."""
    if not is_active_user(user):
        return ""
    areas = {record.meeting.area_id, record.child.area_id}
    if user.agency.area_id not in areas:
        return ""
    return {Role.CSE_MANAGER: "manager", Role.POLICE: "police"}.get(user.role, "")
