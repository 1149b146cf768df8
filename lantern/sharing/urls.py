from django.urls import path

from . import views

app_name = "sharing"
urlpatterns = [
    path("children/<id:child_id>/sharing/new/", views.record_decision, name="record_decision"),
    path("sharing/decisions/", views.decisions_report, name="decisions"),
    path("sharing/decisions/<id:decision_id>/", views.decision_detail, name="decision"),
    path("emergency-access/", views.break_glass, name="break_glass"),
    path("emergency-access/reviews/", views.break_glass_reviews, name="break_glass_reviews"),
    path("children/<id:child_id>/access-log/", views.access_log, name="access_log"),
    path("audit/", views.audit_lookup, name="audit_lookup"),
]
