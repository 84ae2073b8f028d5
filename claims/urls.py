from __future__ import annotations

app_name = "claims"
urlpatterns: list = []
