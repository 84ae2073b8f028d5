"""Security headers: a restrictive CSP, no-store on everything but static files, offline Swagger UI,
and `check --deploy` refusing the development key."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from accounts.roles import Role
from mutuelle.middleware_headers import NoStoreMiddleware

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_HANDLER_OR_STYLE = re.compile(r"\s(on[a-z]+|style)\s*=", re.I)
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)


def _directives(response: HttpResponse) -> dict[str, str]:
    parts = (p.strip().split(" ", 1) for p in response["Content-Security-Policy"].split(";") if p.strip())
    return {p[0]: p[1] if len(p) > 1 else "" for p in parts}


def test_it_sends_a_restrictive_content_security_policy(client) -> None:  # type: ignore[no-untyped-def]
    csp = _directives(client.get(reverse("accounts:login")))
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'" and csp["style-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert csp["base-uri"] == "'self'" and csp["form-action"] == "'self'"
    assert "unsafe" not in " ".join(csp.values())


@pytest.mark.parametrize("name", ["home", "claims:counter", "members:list"])
def test_it_renders_pages_with_nothing_inline_the_policy_would_block(client, make_user, name) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.RECEPTION))
    html = client.get(reverse(name)).content.decode()
    assert "<html" in html and not INLINE_SCRIPT.search(html)
    assert not INLINE_HANDLER_OR_STYLE.search(html), INLINE_HANDLER_OR_STYLE.search(html)
    assert not EXTERNAL.search(html)


def test_it_forbids_storing_pages_and_api_answers(client, make_user) -> None:  # type: ignore[no-untyped-def]
    assert "no-store" in client.get(reverse("accounts:login"))["Cache-Control"]  # never_cache, kept
    assert client.get("/api/v1/openapi.json")["Cache-Control"] == "no-store"
    client.force_login(make_user(Role.RECEPTION))
    assert client.get(reverse("home"))["Cache-Control"] == "no-store"


def test_it_forbids_storing_downloads_but_lets_static_files_be_cached() -> None:
    def download(request):  # type: ignore[no-untyped-def]
        return HttpResponse(b"%PDF-1.7", content_type="application/pdf")

    middleware = NoStoreMiddleware(download)
    assert middleware(RequestFactory().get("/claims/1/statement.pdf"))["Cache-Control"] == "no-store"
    assert not middleware(RequestFactory().get("/static/vendor/htmx.min.js")).has_header("Cache-Control")

    def cached(request):  # type: ignore[no-untyped-def]
        response = HttpResponse()
        response["Cache-Control"] = "private, no-store, max-age=0"
        return response

    assert NoStoreMiddleware(cached)(RequestFactory().get("/x"))["Cache-Control"] == "private, no-store, max-age=0"


def test_it_serves_swagger_ui_from_our_static_files(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/vendor/swagger-ui-bundle.js" in html and "/static/vendor/swagger-ui.css" in html
    assert "/static/js/swagger-init.js" in html and "/api/v1/openapi.json" in html
    assert not EXTERNAL.search(html) and not INLINE_SCRIPT.search(html)
    assert "cdn" not in html.lower()
    for asset in ("vendor/swagger-ui-bundle.js", "vendor/swagger-ui.css", "js/swagger-init.js"):
        assert finders.find(asset), f"{asset} missing: `make install` copies it from node_modules"


def test_it_fails_the_deploy_check_on_the_development_key(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    settings.MUTUELLE_INSECURE_DEV_KEY = True
    with pytest.raises(SystemCheckError, match=r"mutuelle\.E001"):
        call_command("check", "--deploy")
    settings.MUTUELLE_INSECURE_DEV_KEY = False
    settings.SECRET_KEY = "dev-insecure-mutuelle-key-0123456789-abcdefghijklmnopqrstuvwxyz"
    with pytest.raises(SystemCheckError, match=r"mutuelle\.E001"):
        call_command("check", "--deploy")


def test_it_passes_the_deploy_check_with_a_real_key(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    settings.MUTUELLE_INSECURE_DEV_KEY = False
    settings.SECRET_KEY = "k8#Vq2!zR7@pL4$wN9^tY1&uJ6*hG3(bF0)mD5-sA8+xC2=eQ7"
    call_command("check", "--deploy")  # warnings at most, no error
