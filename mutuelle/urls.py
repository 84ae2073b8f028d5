from __future__ import annotations

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from claims.views_docs import verify as certificate_verify
from mutuelle.branding import admin_site_brand
from mutuelle.views import healthz, home

admin_site_brand(admin.site)

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Browsers ask for /favicon.ico whatever the page links to; the file lives with the static files.
    path("favicon.ico", RedirectView.as_view(url=static("favicon.ico"), permanent=True)),
    path("accounts/", include("accounts.urls")),
    path("members/", include("members.urls")),
    path("audit/", include("audit.urls")),
    path("referentials/", include("referentials.urls")),
    path("claims/", include("claims.urls")),
    path("verify/<str:code>", certificate_verify, name="verify"),
    path("payments/", include("payments.urls")),
    path("contributions/", include("contributions.urls")),
    path("allowances/", include("allowances.urls")),
    path("care/", include("care.urls")),
    path("jobs/", include("jobs.urls")),
    path("portal/", include("portal.urls")),
    path("reports/", include("reports.urls")),
    path("grievances/", include("grievances.urls")),
    path("simulate/", include("claims.simulator.urls")),
    path("api/v1/", include("mutuelle.api_urls")),
    path("fhir/", include("fhir.urls")),
    path("admin/", admin.site.urls),
]
