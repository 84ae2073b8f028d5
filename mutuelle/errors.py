"""The base of the domain errors the services raise."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal with a message for the user: `message` stays lazy, translated where it is shown."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message
