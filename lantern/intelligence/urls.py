from django.urls import path

from . import views

app_name = "intelligence"
urlpatterns = [
    path("intelligence/", views.index, name="index"),
    path("intelligence/new/", views.submit, name="submit"),
    path("intelligence/reports/<id:report_id>/", views.report_detail, name="report"),
    path("intelligence/resolution/", views.review, name="review"),
    path("intelligence/resolution/<id:proposal_id>/", views.proposal_detail, name="proposal"),
    path("intelligence/triggers/", views.trigger_list, name="triggers"),
    path("intelligence/triggers/<id:trigger_id>/", views.trigger_detail, name="trigger"),
    path("intelligence/chart/", views.chart, name="chart"),
    path("intelligence/chart/data/", views.chart_data, name="chart_data"),
    path("intelligence/chart/neighbours/", views.chart_neighbours, name="chart_neighbours"),
    path("intelligence/subjects/", views.subjects, name="subjects"),
    path("intelligence/subjects/<id:entity_id>/risk/", views.subject_risk,
         name="subject_risk"),
    path("intelligence/subjects/<id:entity_id>/details/", views.subject_details,
         name="subject_details"),
]
