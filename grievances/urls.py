from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from grievances import views

app_name = "grievances"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.grievance_queue, name="queue"),
    path("new/", views.grievance_new, name="new"),
    path("mine/", views.my_grievances, name="mine"),
    path("member/<int:member_pk>/new/", views.grievance_new_for, name="new_for"),
    path("<int:pk>/", views.grievance_detail, name="detail"),
    path("<int:pk>/answer/", views.grievance_answer_view, name="answer"),
    path("<int:pk>/<str:verb>/", views.grievance_action, name="action"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
