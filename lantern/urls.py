from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from lantern.core import views as core_views
from lantern.pathway.api import ReferralViewSet
from lantern.people.api import ChildViewSet
from lantern.sharing import views as sharing_views

router = DefaultRouter()
router.register("children", ChildViewSet, basename="api-child")
router.register("referrals", ReferralViewSet, basename="api-referral")

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("sign-in/", sharing_views.SignInView.as_view(), name="login"),
    path("sign-in/code/", sharing_views.verify, name="mfa_verify"),
    path("sign-in/authenticator/", sharing_views.setup, name="mfa_setup"),
    path("account/password/", sharing_views.ChangePasswordView.as_view(),
         name="change_password"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("lantern.people.urls")),
    path("", include("lantern.pathway.urls")),
    path("", include("lantern.screening.urls")),
    path("", include("lantern.sharing.urls")),
    path("", include("lantern.missing.urls")),
    path("api/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("", include("lantern.intelligence.urls")),
    path("", include("lantern.meetings.urls")),
    path("", include("lantern.plans.urls")),
    path("admin/", admin.site.urls),
]
