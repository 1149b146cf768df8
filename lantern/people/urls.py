from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("children/", views.find_child, name="find"),
    path("children/add/", views.add_child, name="add"),
    path("children/<id:child_id>/details/", views.correct_child, name="correct"),
]
