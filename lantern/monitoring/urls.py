from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("monitoring/", views.data_set, name="data_set"),
    path("monitoring/data-quality/", views.data_quality, name="data_quality"),
]
