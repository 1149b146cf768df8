from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("meetings/", views.meeting_list, name="list"),
    path("children/<id:child_id>/meetings/", views.child_meetings, name="child_meetings"),
    path("children/<id:child_id>/meetings/new/", views.convene, name="convene"),
    path("meetings/<id:meeting_id>/", views.meeting_detail, name="meeting"),
    path("meetings/<id:meeting_id>/invitations/", views.invite, name="invite"),
    path("meetings/<id:meeting_id>/attendance/", views.attendance, name="attendance"),
    path("meetings/<id:meeting_id>/agenda/<id:item_id>/", views.minutes, name="minutes"),
    path("meetings/<id:meeting_id>/closed/", views.request_closed, name="request_closed"),
    path("meetings/<id:meeting_id>/closed/<id:section_id>/", views.closed_section,
         name="closed_section"),
    path("meetings/<id:meeting_id>/decisions/", views.decision, name="decision"),
    path("meetings/<id:meeting_id>/children/<id:child_id>/", views.child_record,
         name="child_record"),
    path("meetings/<id:meeting_id>/children/<id:child_id>/participation/",
         views.participation, name="participation"),
    path("meetings/<id:meeting_id>/children/<id:child_id>/oversight/", views.oversight,
         name="oversight"),
    path("meetings/<id:meeting_id>/held/", views.conclude, name="conclude"),
    path("meetings/<id:meeting_id>/cancel/", views.cancel, name="cancel"),
    path("meetings/<id:meeting_id>/agreement/", views.agreement, name="agreement"),
    path("meetings/<id:meeting_id>/chair/", views.chair_decision, name="chair_decision"),
    path("meetings/<id:meeting_id>/convenor/", views.convenor_decision,
         name="convenor_decision"),
    path("meetings/<id:meeting_id>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
]
