"""What the engine would decide on lines typed at the counter, before anything is saved."""

from __future__ import annotations

from datetime import date

import engine as e
from claims.services.adjudication import engine_input, pieces_merged, snapshot_current
from claims.services.engine_io import ald_codes, history_for
from claims.services.intake import LineInput, line_code
from members.eligibility import beneficiary_covers
from referentials.codes import ald_code_normalise, key_letters


def claim_preview(
    *,
    beneficiary_id: int,
    filed_on: date,
    channel: str,
    provider_inpe: str,
    provider_sector: str,
    provider_kind: str,
    lines: list[LineInput],
) -> e.FileDecision:
    """The same path as adjudication (facts per date of care from the status history, the
    beneficiary's accepted history, the referentials in force), on rows that exist only in memory."""
    snapshot = snapshot_current()
    letters = key_letters(snapshot)
    file_row = (0, "preview", None, beneficiary_id, filed_on, channel, "received", 0,
                provider_inpe, provider_sector, provider_kind)  # fmt: skip
    rows = [
        (-(i + 1), 0, ln.kind, ln.care_date, e.to_centimes(ln.paid), line_code(ln, letters),
         e.to_hundredths(ln.coefficient), ln.quantity,
         e.to_centimes(ln.unit_price) if ln.unit_price is not None else None,
         ald_code_normalise(ln.ald) or None, None, ln.treatment_end, ln.inpatient)
        for i, ln in enumerate(lines)
    ]  # fmt: skip
    bens = [beneficiary_id]
    covers = beneficiary_covers(beneficiary_ids=bens, ald=ald_codes(bens))
    batch = engine_input([file_row], covers, bens, rows=rows)
    decisions = e.adjudicate_batch(batch.pieces, snapshot, history_for(beneficiary_ids=bens, snapshot=snapshot))
    return pieces_merged(batch.pieces, decisions)[1]
