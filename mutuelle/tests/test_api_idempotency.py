"""The Idempotency-Key header on the API's POSTs (mutuelle.idempotency): a retry gets the first
answer and creates nothing; another body with the key gets a 409; racing requests create once."""

from __future__ import annotations

import datetime as dt
import io
import json
import threading
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.models import IdempotencyKey
from claims.models import ClaimFile
from claims.tests.factories import holder, member_make
from mutuelle.idempotency import idempotency_purge

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]
URL = "/api/v1/claims/"
needs_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")


def _body(ref: str = "FAC-IDEM-1") -> str:
    day = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    card = str(holder(member_make()).card_number)
    line = {"kind": "act", "code": "CONS-G", "care_date": day, "paid": "150.00"}
    return json.dumps({"card": card, "external_ref": ref, "lines": [line]})


def _post(client: Client, body: str, key: str) -> Any:
    return client.post(URL, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)


def test_it_answers_a_retry_with_the_first_answer_and_creates_nothing(provider_client: Client) -> None:
    body = _body()
    first = _post(provider_client, body, "retry-1")
    again = _post(provider_client, body, "retry-1")
    assert first.status_code == 201 and again.status_code == 201
    assert again.content == first.content and again["Idempotent-Replayed"] == "true"
    assert ClaimFile.objects.count() == 1 and IdempotencyKey.objects.count() == 1


def test_it_refuses_the_same_key_with_another_body_with_a_409_problem(provider_client: Client) -> None:
    assert _post(provider_client, _body("FAC-A"), "k-1").status_code == 201
    other = _post(provider_client, _body("FAC-B"), "k-1")
    assert other.status_code == 409 and other["Content-Type"].startswith("application/problem+json")
    assert other.json()["type"].endswith("/conflict")
    assert other.json()["detail"] == "This Idempotency-Key was already used for another request."
    french = provider_client.post(
        URL + "?lang=fr", _body("FAC-C"), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert french.json()["detail"] == "Cette clé Idempotency-Key a déjà servi pour une autre requête."
    assert ClaimFile.objects.count() == 1


def test_it_scopes_keys_per_token(provider_client: Client, make_user: Any) -> None:
    from accounts.models import Provider
    from accounts.roles import Role
    from accounts.tokens import api_token_create

    other_provider = Provider.objects.create(inpe="100000909", name="Cabinet Hassan", kind="doctor", sector="private")
    _token, plaintext = api_token_create(actor=None, user=make_user(Role.PROVIDER, provider_id=other_provider.pk))
    other = Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert _post(provider_client, _body("FAC-1"), "same").status_code == 201
    assert _post(other, _body("FAC-1"), "same").status_code == 201
    assert ClaimFile.objects.count() == 2


def test_it_refuses_a_malformed_key_and_files_nothing(provider_client: Client) -> None:
    for key in ("", "x" * 256, "a b", "é"):
        response = _post(provider_client, _body(), key)
        assert response.status_code == 422, key
        assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert not ClaimFile.objects.exists() and not IdempotencyKey.objects.exists()


def test_it_frees_a_key_after_its_retention(provider_client: Client) -> None:
    body = _body()
    assert _post(provider_client, body, "old").status_code == 201
    IdempotencyKey.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    # Freed: the request runs again; the provider's external_ref still makes it create nothing new.
    assert _post(provider_client, body, "old").status_code == 200
    assert ClaimFile.objects.count() == 1
    assert idempotency_purge() == 0 and IdempotencyKey.objects.count() == 1


def test_it_purges_the_expired_keys_from_the_command(provider_client: Client) -> None:
    assert _post(provider_client, _body(), "to-purge").status_code == 201
    IdempotencyKey.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    out = io.StringIO()
    call_command("idempotency_purge", stdout=out)
    assert out.getvalue().startswith("1 ") and not IdempotencyKey.objects.exists()


def test_it_records_nothing_without_a_live_token(client: Client) -> None:
    response = client.post(URL, _body(), content_type="application/json", HTTP_IDEMPOTENCY_KEY="anon")
    assert response.status_code == 401 and not IdempotencyKey.objects.exists()


@needs_postgresql
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_creates_once_when_two_requests_race_with_one_key(provider_client: Client) -> None:
    """Two threads, two connections, released together: whichever claims the key first creates the
    file; the other gets either the 409 "still processing" or the replayed 201, never a second file."""
    body = _body()
    barrier = threading.Barrier(2)
    answers: list[tuple[int, bytes]] = []

    def send() -> None:
        from django.db import connections

        try:
            barrier.wait()
            response = _post(provider_client, body, "race")
            answers.append((response.status_code, response.content))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = sorted(status for status, _content in answers)
    assert statuses in ([201, 201], [201, 409])
    assert ClaimFile.objects.count() == 1 and IdempotencyKey.objects.count() == 1
    if statuses == [201, 201]:
        assert answers[0][1] == answers[1][1]
