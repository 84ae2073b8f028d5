"""The writing half of the roster import: chunks of validated rows to bulk inserts and updates.

Runs inside the transaction opened by `members.imports.roster_import`. Stored rows are read
as tuples and new rows are written as tuples (`mutuelle.bulk.rows_copy`: COPY on PostgreSQL,
one executemany elsewhere): model instances are built only
for the rows that change, for bulk_update.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from typing import Any, NamedTuple, cast

from django.db.models import BigIntegerField, Max
from django.db.models.functions import Cast
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record
from members.imports_parse import fold_name
from members.imports_read import Row, RowError
from members.models import Administration, Beneficiary, Member, MemberStatus, MemberStatusChange, Relation
from members.services import beneficiary_search_text, member_search_text_refresh
from mutuelle.bulk import one_of, rows_copy, serialised_section
from mutuelle.types import Actor

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

    Concurrent allocators wait for each other (`mutuelle.bulk.serialised_section`).
    """
    serialised_section(_NUMBER_LOCK)
    top = Member.objects.aggregate(top=Max(Cast("membership_number", BigIntegerField())))["top"]
    return max(int(top or 0) + 1, FIRST_MEMBERSHIP_NUMBER)


class _Holder(NamedTuple):  # what beneficiary_search_text reads of a member
    pk: int
    membership_number: str
    matricule: str
    cin: str


class _Person(NamedTuple):  # what beneficiary_search_text reads of a beneficiary
    first_name: str
    last_name: str
    first_name_ar: str
    last_name_ar: str
    card_number: str


def _search_text(row: Any, card_number: str, holder: _Holder) -> str:
    person = _Person(row.first_name, row.last_name, row.first_name_ar, row.last_name_ar, card_number)
    return beneficiary_search_text(cast(Any, person), cast(Any, holder))


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _diff(old: dict[str, Any], values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """{field: (before, after)} for the values that differ from the stored ones."""
    return {name: (old[name], value) for name, value in values.items() if old[name] != value}


def _joined(row: Row) -> dt.date:
    assert row.joined_on is not None  # required on `self` rows, checked in the validation pass
    return row.joined_on


def _member_values(row: Row) -> dict[str, Any]:
    values = {f: getattr(row, f) for f in _MEMBER_FIELDS}
    return {k: v for k, v in values.items() if v != "" or k not in _KEEP_WHEN_EMPTY}


_NEW_MEMBER = ("matricule", "membership_number", "administration_id", "joined_on", "status", "status_since",
               *_MEMBER_FIELDS)  # fmt: skip
_NEW_PERSON = ("member_id", "relation", "rank", "card_number", "search_text")
_NEW_SELF = (*_NEW_PERSON, *_SELF_FIELDS)
_NEW_DEPENDANT = (*_NEW_PERSON, *_DEPENDANT_FIELDS)
_NEW_STATUS = ("member_id", "status", "valid_from", "note", "recorded_by_id")


class Writer:
    """Writes chunks of validated rows and counts what it did into the ImportResult."""

    def __init__(self, actor: Actor, administration: Administration, result: ImportResult) -> None:
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

    def _audit(self, label: str, pk: int, member_id: int, diff: dict[str, tuple[Any, Any]]) -> None:
        before = {k: _json(v[0]) for k, v in diff.items()}
        after = {k: _json(v[1]) for k, v in diff.items()}
        audit_record(
            actor=self.actor, action=AuditEvent.Action.UPDATE, object_type=label, object_id=str(pk),
            member_id=member_id, before=before, after=after, note=IMPORT_NOTE,
        )  # fmt: skip

    def _self_tuple(self, holder: _Holder, row: Row) -> tuple[Any, ...]:
        card = f"{holder.membership_number}-00"
        return (holder.pk, Relation.SELF.value, 0, card, _search_text(row, card, holder),
                *(getattr(row, f) for f in _SELF_FIELDS))  # fmt: skip

    def members(self, chunk: list[Row]) -> None:
        stored = Member.objects.filter(one_of(Member, "matricule", [r.matricule for r in chunk]))
        existing = {m["matricule"]: m for m in stored.values("id", "membership_number", "matricule", *_MEMBER_FIELDS)}
        self_values = ("id", "member_id", "card_number", *_SELF_FIELDS)
        selves = {
            b["member_id"]: b
            for b in Beneficiary.objects.filter(
                one_of(Beneficiary, "member_id", [m["id"] for m in existing.values()]), relation=Relation.SELF
            ).values(*self_values)
        }
        created: list[Row] = []
        new_selves: list[tuple[Any, ...]] = []
        changed_members: list[Member] = []
        changed_selves: list[Beneficiary] = []
        member_fields: set[str] = set()
        self_fields: set[str] = set()
        cin_changed: list[Member] = []
        now = timezone.now()
        for row in chunk:
            old = existing.get(row.matricule)
            if old is None:
                created.append(row)
                continue
            values = _member_values(row)
            diff = _diff(old, values)
            after = {**{f: old[f] for f in _MEMBER_FIELDS}, **values}
            holder = _Holder(old["id"], old["membership_number"], row.matricule, after["cin"])
            ben = selves.get(holder.pk)
            if ben is None:  # a member without its `self` row: repair it
                new_selves.append(self._self_tuple(holder, row))
                ben_diff: dict[str, tuple[Any, Any]] = {"relation": ("", Relation.SELF)}
            else:
                ben_values = {f: getattr(row, f) for f in _SELF_FIELDS}
                ben_diff = _diff(ben, ben_values)
                if ben_diff or "cin" in diff:
                    text = _search_text(row, ben["card_number"], holder)
                    changed_selves.append(
                        Beneficiary(id=ben["id"], member_id=holder.pk, search_text=text, **ben_values)
                    )
                    self_fields.update(ben_diff, ["search_text"])
            if not diff and not ben_diff:
                self.result.members_unchanged += 1
                continue
            self.result.members_updated += 1
            if diff:
                member = Member(id=holder.pk, membership_number=holder.membership_number, matricule=row.matricule,
                                updated_at=now, **after)  # fmt: skip
                changed_members.append(member)
                member_fields.update(diff, ["updated_at"])
                if "cin" in diff:
                    cin_changed.append(member)
            self._audit(
                "members.member", holder.pk, holder.pk, {**diff, **{f"self.{k}": v for k, v in ben_diff.items()}}
            )
        self._create_members(created, new_selves)
        if changed_members:
            Member.objects.bulk_update(changed_members, sorted(member_fields), batch_size=CHUNK)
        if changed_selves:
            Beneficiary.objects.bulk_update(changed_selves, sorted(self_fields), batch_size=CHUNK)
        for member in cin_changed:  # the member's CIN is in every one of its beneficiaries' search text
            member_search_text_refresh(member=member)
        self.result.members_created += len(created)

    def _create_members(self, created: list[Row], new_selves: list[tuple[Any, ...]]) -> None:
        admin_id, active = self.administration.pk, MemberStatus.ACTIVE.value
        numbers = [self._number() for _ in created]
        member_rows = [
            (row.matricule, number, admin_id, _joined(row), active, _joined(row),
             *(getattr(row, f) for f in _MEMBER_FIELDS))
            for row, number in zip(created, numbers, strict=True)
        ]  # fmt: skip
        ids = rows_copy(Member, _NEW_MEMBER, member_rows, with_ids=True)
        actor_id = self.actor.pk if self.actor is not None else None
        statuses = []
        for pk, number, row in zip(ids, numbers, created, strict=True):
            new_selves.append(self._self_tuple(_Holder(pk, number, row.matricule, row.cin), row))
            statuses.append((pk, active, _joined(row), IMPORT_NOTE, actor_id))
        rows_copy(Beneficiary, _NEW_SELF, new_selves)
        rows_copy(MemberStatusChange, _NEW_STATUS, statuses)

    def dependants(self, chunk: list[Row]) -> None:
        matricules = {r.matricule for r in chunk}
        members = {
            m[2]: _Holder(*m)
            for m in Member.objects.filter(one_of(Member, "matricule", matricules)).values_list(
                "id", "membership_number", "matricule", "cin"
            )
        }
        existing: dict[tuple[int, str, dt.date, str], dict[str, Any]] = {}
        top: dict[int, int] = defaultdict(int)
        ids = [m.pk for m in members.values()]
        stored = Beneficiary.objects.filter(one_of(Beneficiary, "member_id", ids), rank__gt=0)
        for ben in stored.values("id", "member_id", "relation", "rank", "card_number", *_DEPENDANT_FIELDS):
            top[ben["member_id"]] = max(top[ben["member_id"]], ben["rank"])
            existing[(ben["member_id"], ben["relation"], ben["birth_date"], fold_name(ben["first_name"]))] = ben
        created: list[tuple[Any, ...]] = []
        changed: list[Beneficiary] = []
        fields: set[str] = set()
        for row in chunk:
            member = members[row.matricule]
            key = (member.pk, row.relation, row.birth_date, fold_name(row.first_name))
            values = {f: getattr(row, f) for f in _DEPENDANT_FIELDS}
            found = existing.get(key)
            if found is None:
                top[member.pk] += 1
                rank = top[member.pk]
                card = f"{member.membership_number}-{rank:02d}"
                created.append((member.pk, row.relation, rank, card, _search_text(row, card, member),
                                *values.values()))  # fmt: skip
                existing[key] = {"id": None, "card_number": card, **values}
                continue
            diff = _diff(found, values)
            if not diff:
                self.result.dependants_unchanged += 1
                continue
            text = _search_text(row, found["card_number"], member)
            changed.append(Beneficiary(id=found["id"], member_id=member.pk, search_text=text, **values))
            fields.update(diff, ["search_text"])
            self.result.dependants_updated += 1
            self._audit("members.beneficiary", found["id"], member.pk, diff)
        rows_copy(Beneficiary, _NEW_DEPENDANT, created)
        if changed:
            Beneficiary.objects.bulk_update(changed, sorted(fields), batch_size=CHUNK)
        self.result.dependants_created += len(created)
