"""The notes services write on audit events, shown in the reader's language (audit.notes)."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from accounts.roles import Role
from audit.models import AuditAction
from audit.notes import NOTE_RULES, audit_note_text
from audit.presentation import audit_events_present
from audit.services import audit_record
from contributions.models import ArrearsNotice

LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_it_has_a_translation_of_every_note_rule(language: str) -> None:
    with translation.override("en"):
        english = [str(rule.text) for rule in NOTE_RULES]
    with translation.override(language):
        untranslated = [text for rule, text in zip(NOTE_RULES, english, strict=True) if str(rule.text) == text]
    assert untranslated == []


@pytest.mark.parametrize(
    ("note", "arabic_code"),
    [("diagnosis", ""), ("batch PB00000001", "PB00000001"), ("payment batch PB00000002", "PB00000002"),
     ("progress notes (3)", ""), ("dated status change now in force", ""), ("score 12", "")],
)  # fmt: skip
def test_it_renders_the_services_codes_in_arabic_without_english_words(note: str, arabic_code: str) -> None:
    with translation.override("ar"):
        text = audit_note_text(note)
    assert text != note and LATIN_WORD.findall(text.replace(arabic_code, "")) == []
    assert arabic_code in text


def test_it_renders_them_in_french_with_their_parameters() -> None:
    with translation.override("fr"):
        assert "PB00000001" in audit_note_text("batch PB00000001") != "batch PB00000001"
        assert audit_note_text("API token for clinique") != "API token for clinique"


def test_it_shows_a_note_a_person_typed_as_it_was_typed() -> None:
    with translation.override("ar"):
        assert audit_note_text("Pièce illisible, à redemander") == "Pièce illisible, à redemander"
        assert audit_note_text("") == ""


def test_it_names_two_states_by_their_labels_with_an_arrow_the_reading_way() -> None:
    with translation.override("fr"):
        text = audit_note_text("noticed->suspended", model=ArrearsNotice)
        assert text == "mise en demeure envoyée → droits suspendus" or ("→" in text and "noticed" not in text)
    with translation.override("ar"):
        text = audit_note_text("noticed->suspended", model=ArrearsNotice)
        assert "←" in text and LATIN_WORD.findall(text) == []
    assert audit_note_text("noticed->suspended") == "noticed->suspended"  # no model: shown as stored


@pytest.mark.django_db
def test_it_shows_the_note_of_a_stored_event_in_the_readers_language(make_user) -> None:
    user = make_user(Role.AUDITOR)
    event = audit_record(actor=user, action=AuditAction.VIEW_MEDICAL, object_type="claims.claimfile",
                         object_id="1", note="diagnosis")  # fmt: skip
    with translation.override("ar"):
        (shown,) = audit_events_present([event])
    assert shown.note and shown.note != "diagnosis" and LATIN_WORD.findall(shown.note) == []
    event.refresh_from_db()
    assert event.note == "diagnosis"  # the code is what is stored
