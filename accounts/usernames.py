"""The one spelling of a username, shared by authentication, account creation and the lockout."""

from __future__ import annotations

import unicodedata

USERNAME_MAX_LENGTH = 150


def username_normalize(raw: str) -> str:
    """NFKC (fullwidth ｃ becomes c, as Django's own UsernameField does), then stripped: the form
    that is stored, looked up at login and counted by the lockout."""
    return unicodedata.normalize("NFKC", raw).strip()


def username_lockout_key(raw: str) -> str:
    """What failed logins are counted under: the normalised name, case-folded too. Authentication is
    case-sensitive, so `Coordinateur` is another (usually unknown) account; counting the case
    variants together makes guessing through them pointless and costs a real user nothing."""
    return unicodedata.normalize("NFKC", username_normalize(raw).casefold())[:USERNAME_MAX_LENGTH]
