"""schemathesis against the OpenAPI document: no 5xx, and every answer as the document says.

Each operation gets a bounded, derandomised run (the same cases every time: no luck involved), in
the test's database transaction (pytest-django's `db`), with a real provider API token (a staff
token of a medical controller for /api/v1/staff). The
rate limits are lifted so that the generated cases reach the views rather than the 429.
Cases per operation are printed (`pytest -s` or `-rP`) and a floor is asserted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import ApiTokenScope, Provider, User
from accounts.roles import Role
from accounts.tokens import api_token_create
from claims.tests.factories import member_make
from mutuelle.api import api
from mutuelle.wsgi import application

# Unknown query parameters are ignored, as by any HTTP API (not a schema violation we refuse);
# the token is the fixture's, so schemathesis does not make up Authorization headers.
CONFIG = SchemathesisConfig.from_dict(
    {"generation": {"allow-extra-parameters": False, "with-security-parameters": False, "deterministic": True}}
)
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(), config=CONFIG)
schema.app = application  # calls go through the WSGI application: every middleware, no server

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
MAX_EXAMPLES = 60
MIN_CASES = 20  # below this, schemathesis did not really exercise the operation
_cases: Counter[str] = Counter()


@pytest.fixture
def bearer(db: None, make_user: Callable[..., User], settings: Any) -> Iterator[dict[str, str]]:
    """A provider's real token, a beneficiary with the card of the schema's examples, no rate limit."""
    from django.core.cache import cache

    settings.SIMULATOR_RATE_LIMIT = 10**9
    settings.PROVIDER_ELIGIBILITY_RATE_LIMIT = 10**9
    settings.API_RATE_LIMIT_PER_MINUTE = 10**9
    cache.clear()
    member = member_make()
    member.beneficiaries.update(card_number="100001-01")
    provider = Provider.objects.create(inpe="100000902", name="Clinique Souissi", kind="clinic", sector="private")
    user = make_user(Role.PROVIDER, provider_id=provider.pk)
    _token, plaintext = api_token_create(actor=None, user=user)
    # Django's WSGI handler closes the connection after each request, which ends the test's
    # transaction on PostgreSQL; its test client unhooks this the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield {"Authorization": f"Bearer {plaintext}"}
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
        cache.clear()


@pytest.fixture
def staff_bearer(bearer: dict[str, str], make_user: Callable[..., User]) -> dict[str, str]:
    """A staff read token of a medical controller, for /api/v1/staff: the medical fields are answered too."""
    user = make_user(Role.MEDICAL_CONTROLLER)
    _token, plaintext = api_token_create(actor=None, user=user, scope=ApiTokenScope.STAFF_READ)
    return {"Authorization": f"Bearer {plaintext}"}


@pytest.fixture
def counted(request: pytest.FixtureRequest) -> Iterator[Counter[str]]:
    """Counts this operation's cases; reports them, and fails a run that barely generated any."""
    name = request.node.name
    yield _cases
    print(f"\nschemathesis {name}: {_cases[name]} cases")
    assert _cases[name] >= MIN_CASES, f"only {_cases[name]} cases for {name}"


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_it_answers_every_operation_as_documented(
    case: Any,
    bearer: dict[str, str],
    staff_bearer: dict[str, str],
    counted: Counter[str],
    request: pytest.FixtureRequest,
) -> None:
    counted[request.node.name] += 1
    headers = staff_bearer if case.operation.path.startswith("/api/v1/staff/") else bearer
    case.call_and_validate(headers=headers, checks=CHECKS)
