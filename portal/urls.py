from __future__ import annotations

from django.urls import path

from portal import views

app_name = "portal"
urlpatterns = [
    path("", views.portal_home, name="home"),
    path("claims/new/", views.portal_claim_new, name="claim_new"),
    path("approvals/new/", views.portal_approval_new, name="approval_new"),
]
