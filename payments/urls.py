from __future__ import annotations

from django.urls import path

from payments import views

app_name = "payments"
urlpatterns = [
    path("", views.batch_list, name="list"),
    path("prepare/", views.batch_prepare, name="prepare"),
    path("preview/", views.batch_preview_view, name="preview"),
    path("<int:pk>/", views.batch_detail, name="detail"),
    path("<int:pk>/download/<str:fmt>/", views.batch_download, name="download"),
    path("<int:pk>/<str:action>/", views.batch_action, name="action"),
    path("returns/", views.returns, name="returns"),
    path("rejected/", views.rejected, name="rejected"),
    path("payment/<int:pk>/requeue/", views.requeue, name="requeue"),
    path("accounting/", views.accounting, name="accounting"),
    path("member/<int:member_pk>/", views.member_payments, name="member"),
]
