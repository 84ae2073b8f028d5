from __future__ import annotations

from django.urls import path

from contributions.api import router as contributions_quote_router
from mutuelle.api import api

api.add_router("/simulate/contributions", contributions_quote_router)

urlpatterns = [path("", api.urls)]
