"""The project's URLs: every app's pages under one root. Project-level, above every layer, so
it may name any app's views. Pages with no app namespace (home, sign-in, the child's record,
the work tray, /healthz) are the site's and the foundation's, and are reversed by plain names
("home", "login", "child", "work")."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from lantern.foundation import views as foundation_views
from lantern.pathway.api import ReferralViewSet
from lantern.people.api import ChildViewSet
from lantern.site import views as site_views

router = DefaultRouter()
router.register("children", ChildViewSet, basename="api-child")
router.register("referrals", ReferralViewSet, basename="api-referral")

urlpatterns = [
    path("", site_views.home, name="home"),
    path("healthz", site_views.healthz, name="healthz"),
    path("floor", site_views.floor, name="floor"),
    path("layout", site_views.layout, name="layout"),
    path("sign-in/", foundation_views.SignInView.as_view(), name="login"),
    path("sign-in/code/", foundation_views.verify, name="mfa_verify"),
    path("sign-in/authenticator/", foundation_views.setup, name="mfa_setup"),
    path("account/password/", foundation_views.ChangePasswordView.as_view(),
         name="change_password"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("administration/people/", foundation_views.people, name="admin_people"),
    path("administration/people/add/", foundation_views.add_person, name="admin_add_person"),
    path("administration/agencies/add/", foundation_views.add_agency, name="admin_add_agency"),
    path("administration/people/<id:user_id>/", foundation_views.person, name="admin_person"),
    path("administration/changes/", foundation_views.account_changes, name="account_changes"),
    path("session/keep-alive/", foundation_views.keep_alive, name="keep_alive"),
    path("notifications/", foundation_views.notifications, name="notifications"),
    path("drafts/", foundation_views.draft_list, name="drafts"),
    path("drafts/discard/", foundation_views.draft_discard, name="draft_discard"),
    path("children/<id:child_id>/", site_views.child_record, name="child"),
    path("children/<id:child_id>/chronology/", site_views.child_chronology,
         name="child_chronology"),
    path("work/", site_views.work_tray, name="work"),
    path("intelligence/triggers/<id:trigger_id>/convene/", site_views.convene_from_trigger,
         name="convene_from_trigger"),
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
    path("", include("lantern.monitoring.urls")),
    path("admin/", admin.site.urls),
]
