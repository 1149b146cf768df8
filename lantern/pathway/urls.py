from django.urls import path

from . import views

app_name = "pathway"
urlpatterns = [
    path("children/<int:child_id>/concerns/new/", views.record_concern, name="record_concern"),
    path("concerns/<int:concern_id>/", views.concern_detail, name="concern"),
    path("concerns/language-check/", views.language_check, name="language_check"),
    path("children/<int:child_id>/refer/", views.refer, name="refer"),
    path("referrals/", views.tray, name="tray"),
    path("referrals/<int:referral_id>/", views.referral_detail, name="referral"),
    path("referrals/<int:referral_id>/police-decision/", views.police_referral_decision,
         name="police_referral_decision"),
    path("children/<int:child_id>/pathway/", views.pathway, name="pathway"),
    path("children/<int:child_id>/pathway/urgent/", views.urgent_route, name="urgent_route"),
    path("children/<int:child_id>/pathway/required/<int:requirement_id>/exception/",
         views.meeting_exception, name="meeting_exception"),
]
