from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from reports import dashboard_views

app_name = "reports"

urlpatterns: list[URLPattern | URLResolver] = [
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/export/<slug:key>.xlsx", dashboard_views.dashboard_export, name="dashboard_export"),
    path("dashboard/refresh/", dashboard_views.dashboard_refresh, name="dashboard_refresh"),
]
