from __future__ import annotations

from django.urls import path

from referentials import views

app_name = "referentials"
urlpatterns = [
    path("parameters/", views.parameters_page, name="parameters"),
]
