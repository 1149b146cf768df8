from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("children/", views.find_child, name="find"),
    path("children/add/", views.add_child, name="add"),
    path("children/<id:child_id>/details/", views.correct_child, name="correct"),
    path("children/<id:child_id>/merge/", views.merge_start, name="merge"),
    path("children/<id:child_id>/merge/<id:other_id>/", views.merge_compare,
         name="merge_compare"),
    path("children/merges/<id:merge_id>/undo/", views.merge_undo, name="merge_undo"),
]
