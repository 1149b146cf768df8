from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("children/<id:child_id>/plan/", views.plan, name="plan"),
    path("children/<id:child_id>/plan/start/", views.start, name="start"),
    path("children/<id:child_id>/plan/actions/new/", views.add_action, name="add_action"),
    path("children/<id:child_id>/plan/measures/", views.measures, name="measures"),
    path("children/<id:child_id>/plan/close/", views.close, name="close"),
    path("children/<id:child_id>/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("plan-actions/<id:action_id>/", views.action, name="action"),
    path("plan-actions/<id:action_id>/breaches/", views.breach, name="breach"),
]
