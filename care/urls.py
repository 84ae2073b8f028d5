from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from care import views_centres, views_enrolment, views_reports, views_sessions, views_week

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
    path("week/<int:centre>/plans/", views_week.plan_list, name="plans"),
    path("week/<int:centre>/plans/<int:enrolment>/", views_week.plan_set, name="plan_set"),
    path("week/<int:centre>/timetables/", views_week.timetable_list, name="timetables"),
    path("week/timetables/<int:pk>/", views_week.timetable_detail, name="timetable"),
    path("week/timetables/<int:pk>/move/<int:entry>/", views_week.timetable_move, name="timetable_move"),
    path("week/timetables/<int:pk>/<slug:verb>/", views_week.timetable_act, name="timetable_act"),
    path("week/<int:centre>/sessions/", views_sessions.sessions_make, name="sessions_make"),
    path("week/<int:centre>/today/", views_sessions.home_sessions, name="home_sessions"),
    path("week/<int:centre>/billing/", views_sessions.billing, name="billing"),
    path("week/day/", views_sessions.session_day, name="day"),
    path("week/sessions/<int:pk>/attendance/", views_sessions.attendance, name="attendance"),
    path("week/children/<int:pk>/", views_sessions.child_page, name="child"),
    path("week/children/<int:pk>/notes/", views_sessions.note_add, name="note_add"),
    path(
        "week/children/<int:pk>/report/<int:year>/<int:quarter>/<slug:language>.pdf",
        views_sessions.progress_report,
        name="progress_report",
    ),
    path("week/reports/", views_reports.report_page, name="reports"),
    path("week/reports.xlsx", views_reports.report_xlsx, name="reports_xlsx"),
]
