from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from allowances import views, views_advances

app_name = "allowances"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.request_list, name="list"),
    path("new/", views.request_new, name="new"),
    path("mine/", views.my_requests, name="mine"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/payees/", views.request_payees, name="payees"),
    path("<int:pk>/documents/", views.document_upload, name="upload"),
    path("<int:pk>/shares/<int:share>/rib/", views.share_rib, name="share_rib"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("<int:pk>/letter/<int:share>/<str:lang>.pdf", views.letter, name="letter"),
    path("<int:pk>/<str:action>/", views.request_action, name="action"),
    path("advances/", views_advances.advance_list, name="advances"),
    path("advances/new/", views_advances.advance_new, name="advance_new"),
    path("advances/<int:pk>/<str:action>/", views_advances.advance_action, name="advance_action"),
]
