from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("meetings/", views.meeting_list, name="list"),
    path("children/<int:child_id>/meetings/", views.child_meetings, name="child_meetings"),
    path("children/<int:child_id>/meetings/new/", views.convene, name="convene"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:meeting_id>/invitations/", views.invite, name="invite"),
    path("meetings/<int:meeting_id>/attendance/", views.attendance, name="attendance"),
    path("meetings/<int:meeting_id>/agenda/<int:item_id>/", views.minutes, name="minutes"),
    path("meetings/<int:meeting_id>/closed/", views.request_closed, name="request_closed"),
    path("meetings/<int:meeting_id>/closed/<int:section_id>/", views.closed_section,
         name="closed_section"),
    path("meetings/<int:meeting_id>/decisions/", views.decision, name="decision"),
    path("meetings/<int:meeting_id>/children/<int:child_id>/", views.child_record,
         name="child_record"),
    path("meetings/<int:meeting_id>/children/<int:child_id>/participation/",
         views.participation, name="participation"),
    path("meetings/<int:meeting_id>/children/<int:child_id>/oversight/", views.oversight,
         name="oversight"),
    path("meetings/<int:meeting_id>/held/", views.conclude, name="conclude"),
    path("meetings/<int:meeting_id>/cancel/", views.cancel, name="cancel"),
    path("meetings/<int:meeting_id>/agreement/", views.agreement, name="agreement"),
    path("meetings/<int:meeting_id>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
]
