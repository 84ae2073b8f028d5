from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from reports import controls_views, dashboard_views, whatif_views

app_name = "reports"

urlpatterns: list[URLPattern | URLResolver] = [
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/export/<slug:key>.xlsx", dashboard_views.dashboard_export, name="dashboard_export"),
    path("dashboard/refresh/", dashboard_views.dashboard_refresh, name="dashboard_refresh"),
    path("whatif/", whatif_views.whatif_list, name="whatif"),
    path("whatif/<int:pk>/", whatif_views.whatif_detail, name="whatif_detail"),
    path("whatif/<int:pk>/export.xlsx", whatif_views.whatif_export, name="whatif_export"),
    path("controls/", controls_views.controls, name="controls"),
]
