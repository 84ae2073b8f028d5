from __future__ import annotations

from django.urls import path

from members import views, views_import

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("new/", views.member_create, name="create"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("<int:pk>/edit/", views.member_edit, name="edit"),
    path("<int:pk>/status/", views.member_status_change, name="status"),
    path("<int:pk>/dependants/new/", views.beneficiary_create, name="beneficiary_create"),
    path("beneficiaries/<int:pk>/edit/", views.beneficiary_edit, name="beneficiary_edit"),
    path("import/", views_import.roster_import, name="import"),
]
