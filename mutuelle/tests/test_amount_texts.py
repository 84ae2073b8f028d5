"""Amounts written into texts for people (the arrears e-mail/SMS) read as on the pages: grouped by
thousands in the reader's language (mutuelle.money), not the machine form the outbox job carries.

Figure by hand: 1250.5 MAD due is "1 250,50" in French and Arabic (narrow no-break space, decimal
comma: mutuelle.formats) and "1,250.50" in English.
"""

from __future__ import annotations

import pytest
from django.utils import translation

from contributions.arrears_notify import _notice, _suspended

NNBSP = "\u202f"
PARAMS = {"amount": "1250.50", "months": "3", "suspend_on": "2026-02-01", "suspended_from": "2026-02-01"}


@pytest.mark.parametrize(("language", "written"), [("fr", f"1{NNBSP}250,50"), ("ar", f"1{NNBSP}250,50"),
                                                   ("en", "1,250.50")])  # fmt: skip
def test_it_writes_the_arrears_amount_in_the_readers_format(language: str, written: str) -> None:
    with translation.override(language):
        notice, suspended = _notice(None, PARAMS), _suspended(None, PARAMS)
    assert written in notice.body
    assert written in notice.sms
    assert written in suspended.body
    assert "1250.50" not in notice.body + suspended.body
