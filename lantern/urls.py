from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from lantern.core import views as core_views
from lantern.core.forms import SignInForm

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("lantern.people.urls")),
    path("", include("lantern.pathway.urls")),
    path("", include("lantern.screening.urls")),
    path("", include("lantern.intelligence.urls")),
    path("admin/", admin.site.urls),
]
