"""The writing half of the roster import: chunks of validated rows to bulk inserts and updates.

Runs inside the transaction opened by `members.imports.roster_import`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import connection
from django.db.models import BigIntegerField, Max
from django.db.models.functions import Cast
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record
from members.imports_read import Row, RowError
from members.models import Administration, Beneficiary, Member, MemberStatus, MemberStatusChange, Relation
from members.normalize import search_fold
from members.services import beneficiary_search_text, member_search_text_refresh

CHUNK = 2000
MAX_REPORTED_ERRORS = 1000
FIRST_MEMBERSHIP_NUMBER = 100001
# pg_advisory_xact_lock key serialising membership-number allocation ("MEMBNUM" in ASCII).
_NUMBER_LOCK = 0x4D454D424E554D

_MEMBER_FIELDS = ("cin", "marital_status", "from_other_amo", "phone", "email", "rib")
_KEEP_WHEN_EMPTY = ("phone", "email", "rib")
_SELF_FIELDS = ("last_name", "first_name", "last_name_ar", "first_name_ar", "birth_date", "sex", "cin")
_DEPENDANT_FIELDS = (*_SELF_FIELDS, "school_certificate_until", "disabled", "disability_certificate")
IMPORT_NOTE = "roster import"


@dataclasses.dataclass
class ImportResult:
    errors: list[RowError] = dataclasses.field(default_factory=list)
    error_count: int = 0
    rows: int = 0
    members_created: int = 0
    members_updated: int = 0
    members_unchanged: int = 0
    dependants_created: int = 0
    dependants_updated: int = 0
    dependants_unchanged: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def changed(self) -> bool:
        return any((self.members_created, self.members_updated, self.dependants_created, self.dependants_updated))

    def error(self, line: int, field: str, message: Any) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(RowError(line, field, str(message)))

    def counts(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name not in ("errors",)}


def membership_number_first_free() -> int:
    """The next free membership number; call inside a transaction, which it then serialises.

    On PostgreSQL a transaction-scoped advisory lock makes concurrent allocators wait for each
    other; SQLite transactions here are IMMEDIATE, so writers are already serialised.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_NUMBER_LOCK])
    top = Member.objects.aggregate(top=Max(Cast("membership_number", BigIntegerField())))["top"]
    return max(int(top or 0) + 1, FIRST_MEMBERSHIP_NUMBER)


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _apply(obj: Any, values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Set the values that differ; return {field: (before, after)} for those."""
    diff: dict[str, tuple[Any, Any]] = {}
    for name, value in values.items():
        old = getattr(obj, name)
        if old != value:
            diff[name] = (old, value)
            setattr(obj, name, value)
    return diff


def _joined(row: Row) -> dt.date:
    assert row.joined_on is not None  # required on `self` rows, checked in the validation pass
    return row.joined_on


def _member_values(row: Row) -> dict[str, Any]:
    values = {f: getattr(row, f) for f in _MEMBER_FIELDS}
    return {k: v for k, v in values.items() if v != "" or k not in _KEEP_WHEN_EMPTY}


class Writer:
    """Writes chunks of validated rows and counts what it did into the ImportResult."""

    def __init__(self, actor: Any, administration: Administration, result: ImportResult) -> None:
        self.actor = actor if getattr(actor, "is_authenticated", False) else None
        self.administration = administration
        self.result = result
        self.next_number: int | None = None
        self.first_number: int | None = None

    def _number(self) -> str:
        if self.next_number is None:
            self.next_number = self.first_number = membership_number_first_free()
        number, self.next_number = self.next_number, self.next_number + 1
        return f"{number:06d}"

    def numbers_used(self) -> dict[str, Any]:
        if self.first_number is None or self.next_number is None:
            return {}
        return {"membership_numbers": [f"{self.first_number:06d}", f"{self.next_number - 1:06d}"]}

    def _audit(self, obj: Any, member_id: int, diff: dict[str, tuple[Any, Any]]) -> None:
        before = {k: _json(v[0]) for k, v in diff.items()}
        after = {k: _json(v[1]) for k, v in diff.items()}
        audit_record(
            actor=self.actor, action=AuditEvent.Action.UPDATE, obj=obj, member_id=member_id,
            before=before, after=after, note=IMPORT_NOTE,
        )  # fmt: skip

    def _new_self(self, member: Member, row: Row) -> Beneficiary:
        ben = Beneficiary(member=member, relation=Relation.SELF, rank=0, card_number=f"{member.membership_number}-00")
        for name in _SELF_FIELDS:
            setattr(ben, name, getattr(row, name))
        ben.search_text = beneficiary_search_text(ben, member)
        return ben

    def members(self, chunk: list[Row]) -> None:
        existing = {m.matricule: m for m in Member.objects.filter(matricule__in=[r.matricule for r in chunk])}
        selves = {
            b.member_id: b
            for b in Beneficiary.objects.filter(member__in=list(existing.values()), relation=Relation.SELF)
        }
        created: list[tuple[Member, Row]] = []
        new_selves: list[Beneficiary] = []
        changed_members: list[Member] = []
        changed_selves: list[Beneficiary] = []
        member_fields: set[str] = set()
        self_fields: set[str] = set()
        cin_changed: list[Member] = []
        now = timezone.now()
        for row in chunk:
            member = existing.get(row.matricule)
            if member is None:
                values = {f: getattr(row, f) for f in _MEMBER_FIELDS}
                member = Member(
                    matricule=row.matricule, membership_number=self._number(), administration=self.administration,
                    joined_on=_joined(row), status=MemberStatus.ACTIVE, status_since=_joined(row), **values,
                )  # fmt: skip
                created.append((member, row))
                continue
            diff = _apply(member, _member_values(row))
            ben = selves.get(member.pk)
            if ben is None:  # a member without its `self` row: repair it
                new_selves.append(self._new_self(member, row))
                ben_diff: dict[str, tuple[Any, Any]] = {"relation": ("", Relation.SELF)}
            else:
                ben_diff = _apply(ben, {f: getattr(row, f) for f in _SELF_FIELDS})
                if ben_diff or "cin" in diff:
                    ben.search_text = beneficiary_search_text(ben, member)
                    changed_selves.append(ben)
                    self_fields.update(ben_diff, ["search_text"])
            if not diff and not ben_diff:
                self.result.members_unchanged += 1
                continue
            self.result.members_updated += 1
            if diff:
                member.updated_at = now
                changed_members.append(member)
                member_fields.update(diff, ["updated_at"])
                if "cin" in diff:
                    cin_changed.append(member)
            self._audit(member, member.pk, {**diff, **{f"self.{k}": v for k, v in ben_diff.items()}})
        Member.objects.bulk_create([m for m, _ in created], batch_size=CHUNK)
        new_selves += [self._new_self(m, row) for m, row in created]
        Beneficiary.objects.bulk_create(new_selves, batch_size=CHUNK)
        MemberStatusChange.objects.bulk_create(
            [
                MemberStatusChange(member=m, status=MemberStatus.ACTIVE, valid_from=_joined(row), note=IMPORT_NOTE,
                                   recorded_by=self.actor)
                for m, row in created
            ],
            batch_size=CHUNK,
        )  # fmt: skip
        if changed_members:
            Member.objects.bulk_update(changed_members, sorted(member_fields), batch_size=CHUNK)
        if changed_selves:
            Beneficiary.objects.bulk_update(changed_selves, sorted(self_fields), batch_size=CHUNK)
        for member in cin_changed:  # the member's CIN is in every one of its beneficiaries' search text
            member_search_text_refresh(member=member)
        self.result.members_created += len(created)

    def dependants(self, chunk: list[Row]) -> None:
        matricules = {r.matricule for r in chunk}
        members = {
            m.matricule: m
            for m in Member.objects.filter(matricule__in=matricules).only("id", "matricule", "membership_number", "cin")
        }
        existing: dict[tuple[int, str, dt.date, str], Beneficiary] = {}
        top: dict[int, int] = defaultdict(int)
        for ben in Beneficiary.objects.filter(member_id__in=[m.pk for m in members.values()]):
            top[ben.member_id] = max(top[ben.member_id], ben.rank)
            existing[(ben.member_id, ben.relation, ben.birth_date, search_fold(ben.first_name))] = ben
        created: list[Beneficiary] = []
        changed: list[Beneficiary] = []
        fields: set[str] = set()
        for row in chunk:
            member = members[row.matricule]
            key = (member.pk, row.relation, row.birth_date, search_fold(row.first_name))
            values = {f: getattr(row, f) for f in _DEPENDANT_FIELDS}
            found = existing.get(key)
            if found is None:
                top[member.pk] += 1
                rank = top[member.pk]
                ben = Beneficiary(
                    member=member, relation=row.relation, rank=rank,
                    card_number=f"{member.membership_number}-{rank:02d}", **values,
                )  # fmt: skip
                ben.search_text = beneficiary_search_text(ben, member)
                existing[key] = ben
                created.append(ben)
                continue
            ben = found
            diff = _apply(ben, values)
            if not diff:
                self.result.dependants_unchanged += 1
                continue
            ben.search_text = beneficiary_search_text(ben, member)
            changed.append(ben)
            fields.update(diff, ["search_text"])
            self.result.dependants_updated += 1
            self._audit(ben, member.pk, diff)
        Beneficiary.objects.bulk_create(created, batch_size=CHUNK)
        if changed:
            Beneficiary.objects.bulk_update(changed, sorted(fields), batch_size=CHUNK)
        self.result.dependants_created += len(created)
