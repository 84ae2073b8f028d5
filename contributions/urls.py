from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from contributions import views, views_dues, views_ledger, views_rights

app_name = "contributions"

urlpatterns: list[URLPattern | URLResolver] = [
    path("payroll/", views.payroll_list, name="payroll_list"),
    path("payroll/upload/", views.payroll_upload, name="payroll_upload"),
    path("dues/post/", views_dues.dues_post_start, name="dues_post"),
    path("payroll/<int:pk>/", views.payroll_detail, name="payroll_detail"),
    path("payroll/<int:pk>/export.<str:fmt>", views.payroll_export, name="payroll_export"),
    path("members/<int:pk>/", views_ledger.ledger_page, name="ledger"),
    path("members/<int:pk>/receipts/", views_ledger.receipt_create, name="receipt_create"),
    path("members/<int:pk>/off-payroll/", views_ledger.off_payroll_create, name="off_payroll_create"),
    path("members/<int:pk>/statement.pdf", views_ledger.statement_pdf, name="statement_pdf"),
    path("receipts/<str:number>.pdf", views_ledger.receipt_pdf, name="receipt_pdf"),
    path("mine/", views_ledger.my_ledger, name="mine"),
    path("mine/statement.pdf", views_ledger.my_statement_pdf, name="my_statement_pdf"),
    path("schedules/", views_ledger.schedules_page, name="schedules"),
    path("arrears/", views_rights.arrears_list, name="arrears_list"),
    path("arrears/review/", views_rights.arrears_review_start, name="arrears_review"),
    path("arrears/<int:pk>/letter-<str:lang>.pdf", views_rights.arrears_letter, name="arrears_letter"),
]
