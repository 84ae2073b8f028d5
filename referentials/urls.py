from __future__ import annotations

app_name = "referentials"
urlpatterns: list = []
