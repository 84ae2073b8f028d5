"""Payment sources: payees that another app asks a batch to pay (solidarity allowances, advances).

payments may not import the apps above it, so they register here (from their AppConfig.ready)
what a batch of their kind needs: which items are payable (locked, in key order), what to do
once an item is in a payment, paid, or released (rejected by the bank, batch cancelled). A
source's payment carries `source` = its name and its amount in the `solidarity` column, booked
in the source's fund once paid.

Nothing is paid twice: an item the source attached to a live payment is no longer payable (the
source keeps that with a partial unique index, see allowances.models.SharePayment), and each
chunk is one transaction, so a preparation killed at any point resumes where it stopped.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from mutuelle.types import Actor


class SourcePayee(NamedTuple):
    """One payment a source asks for: `key` is the source's own row (a share, an advance)."""

    key: int
    member_id: int
    payee_name: str
    rib: str
    amount: Decimal
    remittance: str


class Attached(NamedTuple):
    payee: SourcePayee
    payment_id: int


@dataclass(frozen=True)
class PaymentSource:
    name: str  # stored on Payment.source, at most 30 characters
    kind: str  # the BatchKind whose batches pay it
    fund: str  # the Fund its payments are booked in
    payable_exists: Callable[[], bool]
    # (size) -> the first `size` payable items, locked for update, in key order (caller's transaction)
    payable_chunk: Callable[[int], list[SourcePayee]]
    # (actor, batch, attached): the items are now in these payments (caller's transaction)
    attach: Callable[[Actor, Any, list[Attached]], None]
    # (actor, payment ids, day): paid
    paid: Callable[[Actor, list[int], dt.date], None]
    # (actor, payment ids): rejected by the bank or batch cancelled: payable again
    released: Callable[[Actor, list[int]], None]
    # () -> (how many payments, their total) a batch prepared now would make, read without locks: the
    # batch preview (payments.preview). None: the preview says the figures are known once prepared.
    payable_summary: Callable[[], tuple[int, Decimal]] | None = None


_SOURCES: dict[str, PaymentSource] = {}


def payment_source_register(source: PaymentSource) -> None:
    """Add (or replace, by name: ready() may run twice) a source."""
    _SOURCES[source.name] = source


def source_kinds() -> frozenset[str]:
    return frozenset(s.kind for s in _SOURCES.values())


def sources_for_kind(kind: str) -> list[PaymentSource]:
    return [s for _name, s in sorted(_SOURCES.items()) if s.kind == kind]


def source_get(name: str) -> PaymentSource | None:
    return _SOURCES.get(name)


def sources_payable_exist(kind: str) -> bool:
    return any(s.payable_exists() for s in sources_for_kind(kind))


def by_source(rows: Iterable[tuple[int, str]]) -> dict[str, list[int]]:
    """Payment ids grouped by their source name (payments of claims, source "", left out)."""
    grouped: dict[str, list[int]] = defaultdict(list)
    for payment_id, source in rows:
        if source:
            grouped[source].append(payment_id)
    return grouped
