from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from lantern.core import views as core_views
from lantern.sharing import views as sharing_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("sign-in/", sharing_views.SignInView.as_view(), name="login"),
    path("sign-in/code/", sharing_views.verify, name="mfa_verify"),
    path("sign-in/authenticator/", sharing_views.setup, name="mfa_setup"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("lantern.people.urls")),
    path("", include("lantern.pathway.urls")),
    path("", include("lantern.screening.urls")),
    path("admin/", admin.site.urls),
]
