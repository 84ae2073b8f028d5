"""The project's URLs plus a view that fails, for the 500 page test (mutuelle.tests.test_error_pages)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from mutuelle.urls import urlpatterns as project_urlpatterns


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug in a view")


urlpatterns = [path("broken/", broken), *project_urlpatterns]
