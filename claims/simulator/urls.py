from __future__ import annotations

app_name = "simulator"
urlpatterns: list = []
