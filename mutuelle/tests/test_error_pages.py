"""Error pages as users see them with DEBUG off: translated, styled, never Django's debug page or a
bare "403 Forbidden"; the 500 page renders without the database or context processors."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from accounts.roles import Role

# The words of each page, in the three languages (the catalogues' entries, checked here as shown).
PAGES = {
    404: {"en": "Page not found", "ar": "الصفحة غير موجودة", "fr": "Page introuvable"},
    403: {"en": "Access refused", "ar": "الولوج مرفوض", "fr": "Accès refusé"},
    "csrf": {"en": "The form has expired", "ar": "انتهت صلاحية الاستمارة", "fr": "Le formulaire a expiré"},
    500: {"en": "Server error", "ar": "خطأ في الخادم", "fr": "Erreur du serveur"},
}
DJANGO_PAGES = ("Forbidden", "CSRF verification failed", "Not Found", "Server Error (500)", "Traceback", "technical")


class _Text(HTMLParser):
    """The text a reader sees (body and title), without scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _latin_words(html: str) -> list[str]:
    return re.findall(r"[A-Za-z]{2,}", _text(html))


def _check(html: str, page: object, language: str) -> None:
    words = PAGES[page]  # type: ignore[index]
    assert words[language] in html
    assert f'lang="{language}"' in html
    assert ('dir="rtl"' in html) is (language == "ar")
    assert "bootstrap" in html  # the site's styles, not a bare page
    for marker in DJANGO_PAGES:
        assert marker not in html
    if language == "ar":
        assert _latin_words(html) == []  # nothing English (nor French) on an Arabic page
    else:
        assert words["en"] not in html


@pytest.fixture
def no_debug(settings):  # type: ignore[no-untyped-def]
    settings.DEBUG = False


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ar", "fr"])
def test_it_shows_a_translated_404_page(client: Client, no_debug: None, language: str) -> None:
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    _check(response.content.decode(), 404, language)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ar", "fr"])
def test_it_shows_the_404_page_for_a_missing_record(client_for, no_debug: None, language: str) -> None:
    # get_object_or_404 in a selector (member_get) reaches the same page as an unknown address.
    client = client_for(Role.RECEPTION)
    response = client.get("/members/987654/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    _check(response.content.decode(), 404, language)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ar", "fr"])
def test_it_shows_a_translated_403_page_for_permission_denied_in_a_view(
    client_for, no_debug: None, language: str
) -> None:
    # audit_events_visible raises PermissionDenied for anyone without audit.view_auditevent.
    client = client_for(Role.RECEPTION)
    response = client.get("/audit/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 403
    _check(response.content.decode(), 403, language)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ar", "fr"])
def test_it_shows_a_translated_page_on_a_csrf_failure(no_debug: None, language: str) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 403
    _check(response.content.decode(), "csrf", language)


@pytest.mark.django_db
@pytest.mark.urls("mutuelle.tests.urls_errors")
@pytest.mark.parametrize("language", ["ar", "fr"])
def test_it_shows_a_translated_500_page_when_a_view_fails(no_debug: None, language: str) -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/broken/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 500
    html = response.content.decode()
    _check(html, 500, language)
    assert "a bug in a view" not in html


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_it_renders_the_500_page_without_the_database(language: str) -> None:
    # No `db` fixture: pytest-django makes any query fail, so a template that read the user, a
    # context processor or a referential would raise here instead of rendering.
    with translation.override(language):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    _check(response.content.decode(), 500, language)


@pytest.mark.django_db
def test_it_answers_favicon_ico_with_the_icon(client: Client, no_debug: None) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.ico"
    icon = finders.find("favicon.ico")
    assert icon is not None
    with open(icon, "rb") as f:
        assert f.read(4) == b"\x00\x00\x01\x00"  # the ICO signature


@pytest.mark.django_db
def test_it_links_the_favicon_from_every_page(client: Client) -> None:
    html = client.get("/accounts/login/").content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in html
    assert finders.find("favicon.svg") is not None
