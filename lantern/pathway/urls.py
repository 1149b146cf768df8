from django.urls import path

from . import views

app_name = "pathway"
urlpatterns = [
    path("children/<id:child_id>/concerns/new/", views.record_concern, name="record_concern"),
    path("concerns/<id:concern_id>/", views.concern_detail, name="concern"),
    path("concerns/language-check/", views.language_check, name="language_check"),
    path("concerns/to-discuss/", views.discussions_queue, name="discussions"),
    path("concerns/<id:concern_id>/discussion/", views.discuss_concern, name="discuss"),
    path("children/<id:child_id>/refer/", views.refer, name="refer"),
    path("referrals/", views.tray, name="tray"),
    path("referrals/<id:referral_id>/", views.referral_detail, name="referral"),
    path("referrals/<id:referral_id>/police-decision/", views.police_referral_decision,
         name="police_referral_decision"),
    path("children/<id:child_id>/pathway/", views.pathway, name="pathway"),
    path("children/<id:child_id>/pathway/urgent/", views.urgent_route, name="urgent_route"),
    path("children/<id:child_id>/pathway/required/<id:requirement_id>/exception/",
         views.meeting_exception, name="meeting_exception"),
    path("children/<id:child_id>/pathway/responses/<id:response_id>/",
         views.record_response, name="record_response"),
    path("children/<id:child_id>/pathway/responses/<id:response_id>/exception/",
         views.response_exception, name="response_exception"),
    path("children/<id:child_id>/pathway/adult-safeguarding/<id:adult_id>/",
         views.adult_referral, name="adult_referral"),
    path("children/<id:child_id>/pathway/adult-safeguarding/<id:adult_id>/exception/",
         views.adult_exception, name="adult_exception"),
]
