"""Settings for the test suite: the real settings with development defaults."""

from __future__ import annotations

import os

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("MUTUELLE_INSECURE_DEV_KEY", "1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from mutuelle.settings import *  # noqa: F403

# Argon2 is deliberately slow; tests create hundreds of users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests read the English source strings unless they ask for a language (the .mo files are compiled).
LANGUAGE_CODE = "en"
# The control sample draws on claim numbers, which carry today's date: a test that files a claim
# would go to medical review on some days and not others. Tests that exercise the draw set a share.
CLAIMS_REVIEW_SAMPLE_SHARE = "0"
