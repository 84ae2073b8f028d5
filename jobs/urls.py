from __future__ import annotations

from django.urls import path

from jobs import views

app_name = "jobs"

urlpatterns = [
    path("progress/", views.progress, name="progress"),
]
