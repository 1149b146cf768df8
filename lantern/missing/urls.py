from django.urls import path

from . import views

app_name = "missing"
urlpatterns = [
    path("children/<id:child_id>/missing/", views.episodes, name="episodes"),
    path("children/<id:child_id>/missing/new/", views.record_episode, name="record_episode"),
    path("children/<id:child_id>/missing/prompts/<id:item_id>/", views.resolve_prompt,
         name="resolve_prompt"),
    path("missing/<id:episode_id>/", views.episode_detail, name="episode"),
    path("missing/<id:episode_id>/return/", views.record_return, name="record_return"),
    path("missing/<id:episode_id>/interview/", views.record_interview, name="interview"),
    path("children/<id:child_id>/missing-profile/", views.profile, name="profile"),
    path("children/<id:child_id>/missing-profile/edit/", views.edit_profile,
         name="edit_profile"),
    path("children/<id:child_id>/missing-profile/photo/", views.profile_photo, name="photo"),
    path("children/<id:child_id>/missing-profile/print/", views.print_profile, name="print"),
    path("children/<id:child_id>/missing-profile/hand-over/", views.hand_over,
         name="hand_over"),
    path("children/<id:child_id>/transition/", views.transition, name="transition"),
    path("children/<id:child_id>/looked-after/", views.looked_after, name="looked_after"),
    path("children/<id:child_id>/looked-after/status/", views.looked_after_status,
         name="looked_after_status"),
    path("children/<id:child_id>/looked-after/parents/", views.parents_decision,
         name="parents_decision"),
    path("children/<id:child_id>/looked-after/measures/new/", views.propose_measure,
         name="propose_measure"),
    path("looked-after/measures/<id:measure_id>/", views.measure, name="measure"),
    path("children/<id:child_id>/looked-after/placement/", views.placement,
         name="placement"),
]
