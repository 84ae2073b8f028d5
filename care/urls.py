from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from care import views_centres, views_enrolment

app_name = "care"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_centres.care_home, name="home"),
    path("centres/", views_centres.centre_list, name="centres"),
    path("centres/<int:pk>/", views_centres.centre_detail, name="centre"),
    path("applications/", views_enrolment.application_list, name="applications"),
    path("applications/new/", views_enrolment.application_new, name="application_new"),
    path("applications/<int:pk>/", views_enrolment.application_detail, name="application"),
    path("applications/<int:pk>/<slug:verb>/", views_enrolment.application_act, name="application_act"),
    path("offers/<int:pk>/answer/", views_enrolment.offer_reply, name="offer_answer"),
    path("programmes/<int:pk>/waiting/", views_enrolment.waiting_list_page, name="waiting"),
    path("family/", views_enrolment.family_home, name="family"),
    # The week (care-week): plans, timetables, sessions, attendance, reports.
]
