"""Roster import: an administration's staff and their dependants, from CSV or XLSX.

The file format is documented in `members.imports_read`. `roster_import` reads the file
once, as a stream of tuples, and never holds it as model objects:

1. validation: every row is parsed and checked (per row, inside the file, against the
   database, in chunks); only small keys stay in memory (matricule -> line, CIN -> line,
   dependant keys). The parsed rows are spooled, in chunks, to two temporary files (members,
   dependants). Any error: nothing is written, every bad row is reported.
2. members (`self` rows), then 3. dependants, read back from the spools and written in
   chunks of `CHUNK` rows, all inside ONE transaction.

Rows are matched by matricule; dependants by (member, relation, birth date, folded first
name), so a re-sent file updates in place and the same file twice changes nothing. An
empty phone, e-mail or RIB cell keeps the stored value; `joined_on` is only used when a
member is created; the import never changes a status and never removes anybody.

Audit: each updated member or dependant gets its own `update` event (before/after of the
changed fields); creations are summed up in one `import` event per import (counts, file
name, the membership numbers allocated). An import that changes nothing records nothing.
"""

from __future__ import annotations

import datetime as dt
import pickle
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from typing import IO

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent
from audit.services import audit_record
from members import imports_read as rd
from members.imports_parse import RowParser, fold_name
from members.imports_read import FileRefused, Row
from members.imports_write import CHUNK, ImportResult, Writer
from members.models import Administration, Member, Relation
from mutuelle.bulk import one_of
from mutuelle.types import Actor

DEFAULT_MAX_BYTES = 50 * 1024 * 1024


def max_bytes() -> int:
    """The upload limit: settings.ROSTER_IMPORT_MAX_BYTES, 50 MB by default (about 250,000 rows)."""
    return int(getattr(settings, "ROSTER_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


FILE_TOO_LARGE = _("The file is too large: at most %(mb)d MB.")
DUPLICATE_MATRICULE = _("This matricule is already given on line %(line)d.")
DUPLICATE_CIN = _("This CIN is already given on line %(line)d.")
DUPLICATE_DEPENDANT = _("The same dependant is already given on line %(line)d.")
CIN_TAKEN = _("This CIN belongs to another member (matricule %(matricule)s).")
OTHER_ADMINISTRATION = _(
    "This member belongs to another administration (%(code)s); transfer the member on its page first."
)
MEMBER_MISSING = _("No member with this matricule, neither in the file nor in this administration.")


def roster_import(*, actor: Actor, administration: Administration, file: IO[bytes], filename: str) -> ImportResult:
    """Validate the whole file, then write every row or none; see the module docstring."""
    result = ImportResult()
    try:
        size = file.seek(0, 2)
        if size > max_bytes():
            raise FileRefused(FILE_TOO_LARGE % {"mb": max(1, max_bytes() // (1024 * 1024))})
        kind = rd.detect_kind(file)
        with _Spool() as selves, _Spool() as dependants:
            _validate(file, kind, administration, result, selves, dependants)
            if not result.ok:
                return result
            with transaction.atomic(durable=True):
                writer = Writer(actor, administration, result)
                for chunk in selves.chunks():
                    writer.members(chunk)
                for chunk in dependants.chunks():
                    writer.dependants(chunk)
                if result.changed:
                    after = {**result.counts(), "filename": filename, **writer.numbers_used()}
                    audit_record(
                        actor=actor, action=AuditEvent.Action.IMPORT, obj=administration, after=after, note=filename
                    )
    except FileRefused as refused:
        result.error(refused.line, "", refused.message)
    return result


class _Spool:
    """Parsed rows kept on disk in pickled chunks of `CHUNK`, read back in the same order."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()
        self.chunk: list[Row] = []

    def __enter__(self) -> _Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.file.close()

    def add(self, row: Row) -> None:
        self.chunk.append(row)
        if len(self.chunk) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.chunk:
            pickle.dump([tuple(r) for r in self.chunk], self.file, protocol=pickle.HIGHEST_PROTOCOL)
            self.chunk = []

    def chunks(self) -> Iterator[list[Row]]:
        self.flush()
        self.file.seek(0)
        while True:
            try:
                rows = pickle.load(self.file)  # noqa: S301 (our own temporary file)
            except EOFError:
                return
            yield [Row._make(r) for r in rows]


def _validate(
    file: IO[bytes], kind: str, administration: Administration, result: ImportResult, selves: _Spool, others: _Spool
) -> None:
    rows = rd.iter_raw(file, kind)
    first = next(rows, None)
    if first is None:
        raise FileRefused(rd.FILE_EMPTY)
    positions, header_errors = rd.header_map(first[1], first[0])
    for e in header_errors:
        result.error(*e)
    if header_errors:
        return
    parser = RowParser(positions, timezone.localdate())
    self_lines: dict[str, int] = {}
    cin_lines: dict[str, int] = {}
    dependant_lines: dict[tuple[str, str, dt.date, str], int] = {}
    pending: dict[str, list[int]] = defaultdict(list)
    chunk: list[Row] = []
    for line, cells in rows:
        result.rows += 1
        row = parser.parse(line, cells)
        if isinstance(row, list):
            for e in row:
                result.error(*e)
            continue
        if row.relation == Relation.SELF:
            if row.matricule in self_lines:
                result.error(line, "matricule", DUPLICATE_MATRICULE % {"line": self_lines[row.matricule]})
                continue
            self_lines[row.matricule] = line
            if row.cin in cin_lines:
                result.error(line, "cin", DUPLICATE_CIN % {"line": cin_lines[row.cin]})
            cin_lines.setdefault(row.cin, line)
            chunk.append(row)
            if len(chunk) >= CHUNK:
                _check_members(chunk, administration, result)
                chunk = []
            if result.ok:
                selves.add(row)
        else:
            key = (row.matricule, row.relation, row.birth_date, fold_name(row.first_name))
            if key in dependant_lines:
                result.error(line, "first_name", DUPLICATE_DEPENDANT % {"line": dependant_lines[key]})
            dependant_lines.setdefault(key, line)
            pending[row.matricule].append(line)
            if result.ok:
                others.add(row)
    _check_members(chunk, administration, result)
    if result.rows == 0:
        raise FileRefused(rd.FILE_EMPTY)
    _check_dependants_members([m for m in pending if m not in self_lines], pending, administration, result)


def _check_members(chunk: list[Row], administration: Administration, result: ImportResult) -> None:
    if not chunk:
        return
    found = Member.objects.filter(one_of(Member, "matricule", [r.matricule for r in chunk]))
    by_matricule = {m["matricule"]: m for m in found.values("matricule", "administration_id", "administration__code")}
    owners = dict(Member.objects.filter(one_of(Member, "cin", [r.cin for r in chunk])).values_list("cin", "matricule"))
    for row in chunk:
        known = by_matricule.get(row.matricule)
        if known and known["administration_id"] != administration.pk:
            result.error(row.line, "matricule", OTHER_ADMINISTRATION % {"code": known["administration__code"]})
        owner = owners.get(row.cin)
        if owner and owner != row.matricule:
            result.error(row.line, "cin", CIN_TAKEN % {"matricule": owner})


def _check_dependants_members(
    matricules: list[str], pending: dict[str, list[int]], administration: Administration, result: ImportResult
) -> None:
    for start in range(0, len(matricules), CHUNK):
        batch = matricules[start : start + CHUNK]
        found = Member.objects.filter(one_of(Member, "matricule", batch)).values_list("matricule", "administration_id")
        known = dict(found)
        codes = dict(Administration.objects.filter(pk__in=set(known.values())).values_list("pk", "code"))
        for matricule in batch:
            admin_id = known.get(matricule)
            for line in pending[matricule]:
                if admin_id is None:
                    result.error(line, "matricule", MEMBER_MISSING)
                elif admin_id != administration.pk:
                    result.error(line, "matricule", OTHER_ADMINISTRATION % {"code": codes[admin_id]})
