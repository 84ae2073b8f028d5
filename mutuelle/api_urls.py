from __future__ import annotations

from django.urls import path

from mutuelle.api import api

urlpatterns = [path("", api.urls)]
