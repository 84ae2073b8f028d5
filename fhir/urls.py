from __future__ import annotations

from django.urls import path, re_path

from fhir import views

app_name = "fhir"

# A FHIR id is [A-Za-z0-9.-]{1,64}; our Patient and Coverage ids are card numbers.
_ID = r"(?P<card>[A-Za-z0-9.\-]{1,64})"

urlpatterns = [
    path("metadata", views.metadata, name="metadata"),
    path("Patient", views.patient_search, name="patient-search"),
    re_path(rf"^Patient/{_ID}$", views.patient_read, name="patient-read"),
    path("Coverage", views.coverage_search, name="coverage-search"),
    re_path(rf"^Coverage/{_ID}$", views.coverage_read, name="coverage-read"),
    path("Organization", views.organization_search, name="organization-search"),
    re_path(r"^Organization/(?P<inpe>[0-9]{1,20})$", views.organization_read, name="organization-read"),
    path("Practitioner", views.practitioner_search, name="practitioner-search"),
    re_path(r"^Practitioner/(?P<inpe>[0-9]{1,20})$", views.practitioner_read, name="practitioner-read"),
    path("CoverageEligibilityRequest", views.eligibility_request, name="eligibility"),
    path("Claim", views.claim_submit, name="claim"),
    re_path(r"^ExplanationOfBenefit/(?P<number>[A-Za-z0-9.\-]{1,64})$", views.explanation_read, name="eob"),
    re_path(r"^ClaimResponse/(?P<number>[A-Za-z0-9.\-]{1,64})$", views.claim_response_read, name="claim-response"),
    re_path(r"^(?P<rest>.*)$", views.unsupported, name="unsupported"),
]
