from __future__ import annotations

from django.urls import path

from claims import (
    views,
    views_ald,
    views_bulk,
    views_counter,
    views_docs,
    views_medical,
    views_receipt,
    views_requests,
)

app_name = "claims"
urlpatterns = [
    path("", views.claim_list_view, name="list"),
    path("adjudicate-received/", views_bulk.adjudicate_received_view, name="adjudicate_received"),
    path("<int:pk>/", views.claim_detail, name="detail"),
    path("<int:pk>/transition/", views.claim_transition_view, name="transition"),
    path("<int:pk>/adjudicate/", views.claim_adjudicate_view, name="adjudicate"),
    path("counter/", views_counter.counter, name="counter"),
    path("counter/beneficiary/", views_counter.counter_beneficiary, name="counter_beneficiary"),
    path("counter/codes/", views_counter.counter_codes, name="counter_codes"),
    path("counter/<int:pk>/receipt/", views_receipt.counter_receipt, name="counter_receipt"),
    path("<int:pk>/diagnosis/", views_medical.diagnosis_edit, name="diagnosis"),
    path("review/", views_medical.review_queue_view, name="review_queue"),
    path("approvals/", views_medical.approval_queue, name="approval_queue"),
    path("approvals/new/<int:member_pk>/", views_requests.approval_request, name="approval_request"),
    path("ald/new/<int:member_pk>/", views_ald.ald_add, name="ald_add"),
    path("ald/<int:pk>/close/", views_ald.ald_close, name="ald_close"),
    path("approvals/<int:pk>/decide/", views_medical.approval_decide, name="approval_decide"),
    path("<int:pk>/attachments/", views_docs.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", views_docs.attachment_download, name="attachment"),
    path("<int:pk>/statement.pdf", views_docs.statement_pdf, name="statement"),
    path("certificate/<int:member_pk>.pdf", views_docs.certificate_pdf, name="certificate"),
]
