from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_it_passes_the_deployment_checks_with_production_settings() -> None:
    inherited = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECURE_", "SESSION_", "CSRF_"))
        and k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "MUTUELLE_INSECURE_DEV_KEY"}
    }
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "mutuelle.settings",
        "DEBUG": "0",
        "SECRET_KEY": "a-long-random-production-secret-key-0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c",
        "ALLOWED_HOSTS": "mutuelle.example.ma",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_refuses_to_start_without_a_secret_key_in_production() -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "MUTUELLE_INSECURE_DEV_KEY"}}
    env.update({"DJANGO_SETTINGS_MODULE": "mutuelle.settings", "DEBUG": "0"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_fails_the_deployment_checks_on_the_public_development_key() -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({"DJANGO_SETTINGS_MODULE": "mutuelle.settings", "DEBUG": "0", "MUTUELLE_INSECURE_DEV_KEY": "1"})
    env["ALLOWED_HOSTS"] = "mutuelle.example.ma"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "mutuelle.E001" in result.stderr
