from django.urls import path

from . import views

app_name = "screening"
urlpatterns = [
    path("children/<id:child_id>/screenings/new/", views.new_screening, name="new"),
    path("children/<id:child_id>/screenings/suggest/", views.suggest, name="suggest"),
    path("screenings/<id:screening_id>/", views.screening_detail, name="detail"),
]
urlpatterns += [
    path("children/<id:child_id>/sexual-activity-concerns/new/", views.new_bichard,
         name="bichard_new"),
    path("sexual-activity-concerns/<id:assessment_id>/", views.bichard_detail,
         name="bichard"),
]
