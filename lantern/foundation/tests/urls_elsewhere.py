"""A URL configuration for test_quick_url: the child's record at another address."""

from django.http import HttpResponse
from django.urls import path

urlpatterns = [path("elsewhere/<id:child_id>/", lambda request, child_id: HttpResponse(),
                    name="child")]
