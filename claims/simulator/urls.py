from __future__ import annotations

from django.urls import path

from claims.simulator import views

app_name = "simulator"
urlpatterns = [
    path("", views.simulate_page, name="page"),
    path("line", views.simulate_line, name="line"),
]
