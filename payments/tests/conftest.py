from __future__ import annotations

from typing import Any

import pytest

from accounts.roles import Role


@pytest.fixture
def accountants(make_user: Any) -> tuple[Any, Any]:
    return make_user(Role.ACCOUNTANT, username="preparer"), make_user(Role.ACCOUNTANT, username="validator")
