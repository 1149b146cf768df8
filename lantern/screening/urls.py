from django.urls import path

from . import views

app_name = "screening"
urlpatterns = [
    path("children/<int:child_id>/screenings/new/", views.new_screening, name="new"),
    path("children/<int:child_id>/screenings/suggest/", views.suggest, name="suggest"),
    path("screenings/<int:screening_id>/", views.screening_detail, name="detail"),
]
