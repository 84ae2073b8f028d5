"""The Arabic and French catalogues are complete, and the pages come out in each language.

The catalogues are parsed from the .po files themselves (no gettext library needed), and the
rendering tests compile them with msgfmt into a temporary LOCALE_PATHS, so they never depend on
stale .mo files in the tree.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = ("ar", "fr")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}|</?\w+>")


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)


def parse_po(path: Path) -> list[Entry]:
    """Entries of a .po file, header first; obsolete (#~) entries are skipped."""
    entries: list[Entry] = []
    current: Entry | None = None
    key: tuple[str, int] | None = None

    def append(value: str) -> None:
        assert current is not None and key is not None
        name, index = key
        if name == "msgstr":
            current.msgstr[index] = current.msgstr.get(index, "") + value
        else:
            setattr(current, name, (getattr(current, name) or "") + value)

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if current is None or current.msgstr:
                current = Entry(line=number)
                entries.append(current)
                key = None
            if line.startswith("#,"):
                current.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")$', line)
        if match:
            name, index, literal = match.groups()
            if name in ("msgctxt", "msgid") and (current is None or current.msgstr):
                current = Entry(line=number)
                entries.append(current)
            key = (name, int(index or 0))
            append(ast.literal_eval(literal))
        elif line.startswith('"'):
            append(ast.literal_eval(line))
        else:
            raise AssertionError(f"{path}:{number}: cannot parse {raw!r}")
    return entries


def _plural_count(header: Entry) -> int:
    match = re.search(r"nplurals=(\d+)", header.msgstr[0])
    assert match, "the header has no Plural-Forms"
    return int(match.group(1))


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_has_every_string_translated_and_nothing_fuzzy(language: str) -> None:
    entries = parse_po(LOCALE / language / "LC_MESSAGES" / "django.po")
    header, messages = entries[0], entries[1:]
    assert header.msgid == "" and "fuzzy" not in header.flags
    assert f"Language: {language}\n" in header.msgstr[0]
    assert len(messages) > 100
    nplurals = _plural_count(header)
    problems = []
    for entry in messages:
        expected_forms = nplurals if entry.msgid_plural is not None else 1
        if "fuzzy" in entry.flags:
            problems.append(f"line {entry.line}: fuzzy {entry.msgid!r}")
        if sorted(entry.msgstr) != list(range(expected_forms)) or not all(entry.msgstr.values()):
            problems.append(f"line {entry.line}: untranslated {entry.msgid!r}")
        sources = set(PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or "")))
        for text in entry.msgstr.values():
            if set(PLACEHOLDER.findall(text)) != sources:
                problems.append(f"line {entry.line}: placeholders differ in {text!r}")
    assert problems == []


def test_it_keeps_the_arabic_six_plural_forms() -> None:
    header = parse_po(LOCALE / "ar" / "LC_MESSAGES" / "django.po")[0]
    assert _plural_count(header) == 6
    assert "n%100>=11 && n%100<=99 ? 4 : 5" in header.msgstr[0]


def test_the_parser_sees_missing_and_fuzzy_entries(tmp_path: Path) -> None:
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr "Language: fr\\n"\n\n#, fuzzy, python-format\nmsgid "A %(n)s"\nmsgstr "Un %(n)s"\n\n'
        'msgid "B"\nmsgstr ""\n\nmsgid "C"\nmsgid_plural "Cs"\nmsgstr[0] "c"\nmsgstr[1] ""\n"s"\n\n#~ msgid "old"\n',
        encoding="utf-8",
    )
    header, fuzzy, empty, plural = parse_po(po)
    assert header.msgstr == {0: "Language: fr\n"}
    assert fuzzy.flags == {"fuzzy", "python-format"} and fuzzy.msgstr == {0: "Un %(n)s"}
    assert empty.msgid == "B" and empty.msgstr == {0: ""}
    assert plural.msgid_plural == "Cs" and plural.msgstr == {0: "c", 1: "s"}


@pytest.fixture
def compiled_locale(tmp_path: Path, settings) -> Path:  # type: ignore[no-untyped-def]
    """The catalogues compiled by msgfmt --check into a private LOCALE_PATHS."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("gettext msgfmt is not installed (make install provides it)")
    for language in LANGUAGES:
        target = tmp_path / language / "LC_MESSAGES"
        target.mkdir(parents=True)
        source = LOCALE / language / "LC_MESSAGES" / "django.po"
        subprocess.run([msgfmt, "--check", "-o", str(target / "django.mo"), str(source)], check=True)
    settings.LOCALE_PATHS = [tmp_path]  # the setting_changed signal resets Django's catalogue cache
    return tmp_path


@pytest.mark.django_db
def test_it_shows_the_login_page_in_arabic_right_to_left(compiled_locale: Path, client: Client) -> None:
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'lang="ar" dir="rtl"' in page
    assert "تسجيل الدخول" in page  # Log in
    assert "نسيت كلمة المرور؟" in page  # Forgotten your password?
    assert "bootstrap.rtl.min.css" in page
    assert "Log in" not in page


@pytest.mark.django_db
def test_it_shows_the_login_page_in_french(compiled_locale: Path, client: Client) -> None:
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'lang="fr" dir="ltr"' in page
    assert "Se connecter" in page
    assert "Mot de passe oublié ?" in page
    assert "Log in" not in page


@pytest.mark.django_db
def test_the_language_cookie_wins_over_the_browser(compiled_locale: Path, client: Client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'dir="rtl"' in page and "تسجيل الدخول" in page
