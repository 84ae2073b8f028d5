from __future__ import annotations

from django.urls import path

from portal import views, views_claim

app_name = "portal"
urlpatterns = [
    path("", views.portal_home, name="home"),
    path("claims/new/", views.portal_claim_new, name="claim_new"),
    path("claims/new/line/", views.portal_claim_line, name="claim_line"),
    path("claims/codes/", views.portal_codes, name="codes"),
    path("claims/<int:pk>/", views_claim.portal_claim, name="claim"),
    path("claims/<int:pk>/complete/", views_claim.portal_claim_complete_view, name="claim_complete"),
    path("approvals/new/", views.portal_approval_new, name="approval_new"),
]
