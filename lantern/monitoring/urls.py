from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("monitoring/", views.data_set, name="data_set"),
    path("monitoring/data-quality/", views.data_quality, name="data_quality"),
    path("monitoring/reviews/", views.reviews, name="reviews"),
    path("monitoring/reviews/new/", views.review_new, name="review_new"),
    path("monitoring/reviews/<id:review_id>/", views.review, name="review"),
    path("monitoring/reviews/<id:review_id>/issue/", views.review_issue, name="review_issue"),
    path("monitoring/reviews/<id:review_id>/pdf/", views.review_pdf, name="review_pdf"),
    path("tasking/", views.tasking_list, name="tasking"),
    path("tasking/<slug:cadence>/<slug:key>/", views.tasking_decide, name="tasking_decide"),
    path("tasking/<slug:cadence>/section/<slug:section>/", views.tasking_section,
         name="tasking_section"),
    path("cse-leads/", views.leads, name="leads"),
    path("cse-leads/add/", views.add_lead, name="add_lead"),
    path("cse-leads/<id:lead_id>/remove/", views.remove_lead, name="remove_lead"),
]
urlpatterns += [
    path("monitoring/dip-samples/", views.dip_samples, name="dip_samples"),
    path("monitoring/dip-samples/<id:sample_id>/", views.dip_sample, name="dip_sample"),
    path("monitoring/dip-samples/records/<id:item_id>/", views.dip_sample_item,
         name="dip_sample_item"),
    path("monitoring/dip-samples/records/<id:item_id>/action/", views.dip_sample_action,
         name="dip_sample_action"),
    path("monitoring/dip-samples/actions/<id:action_id>/done/", views.dip_sample_action_done,
         name="dip_sample_action_done"),
]
