"""The API's Swagger UI, served from our static files (swagger-ui-dist from the npm registry):
no CDN at run time, and no inline script, so it works on a closed network and under the CSP."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import Swagger

if TYPE_CHECKING:
    from ninja import NinjaAPI


class OfflineSwagger(Swagger):
    template = "api/swagger.html"
    # No call to validator.swagger.io: the spec is checked by our tests, not by a third party.
    default_settings = {"layout": "BaseLayout", "deepLinking": True, "validatorUrl": None}

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        # ninja falls back to its CDN template unless "ninja" is an installed app: render ours always.
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        return render(request, self.template, {"swagger_settings": json.dumps(self.settings), "api": api})
