"""Pure adjudication engine for health claims (no Django: dataclasses in, decisions out).

Typical use (the claims app's batch job, the simulator, tests)::

    snapshot = snapshot_build(rows_from_referentials)      # once, reusable
    history = history_from_accepted(earlier_lines, snapshot)
    decisions = adjudicate_batch(files, snapshot, history)  # records accepted lines

Money is integer centimes, rates basis points, coefficients hundredths.
`eligibility_check(facts, on, params)` is shared with the members app.
Reason codes and their ar/fr/en labels: `reasons.REASONS`, `reason_label`; each line's
trace is a tuple of `Trace` entries (a code and its parameters), put in words by claims.trace.
"""

from __future__ import annotations

from .adjudicate import adjudicate_batch, adjudicate_file, gc_paused, history_from_accepted, line_category
from .build import snapshot_build
from .eligibility import Eligibility, add_months, anniversary, covered_window, covered_windows, eligibility_check
from .history import History, duplicate_key
from .money import AmountError, apply_bp, format_centimes, to_centimes, to_hundredths
from .reasons import REASONS, Reason, reason_label
from .scenario import ScenarioError, decision_to_json, scenario_parse
from .snapshot import Snapshot, SnapshotError
from .trace import TRACE_CODES, Trace
from .types import (
    BeneficiaryFacts,
    ClaimFile,
    ClaimLine,
    FileDecision,
    LineDecision,
    Params,
    Provider,
    Suspension,
)

__all__ = [
    "REASONS",
    "TRACE_CODES",
    "AmountError",
    "BeneficiaryFacts",
    "ClaimFile",
    "ClaimLine",
    "Eligibility",
    "FileDecision",
    "History",
    "LineDecision",
    "Params",
    "Provider",
    "Reason",
    "ScenarioError",
    "Snapshot",
    "SnapshotError",
    "Suspension",
    "Trace",
    "add_months",
    "adjudicate_batch",
    "adjudicate_file",
    "anniversary",
    "apply_bp",
    "covered_window",
    "covered_windows",
    "decision_to_json",
    "duplicate_key",
    "eligibility_check",
    "format_centimes",
    "gc_paused",
    "history_from_accepted",
    "line_category",
    "reason_label",
    "scenario_parse",
    "snapshot_build",
    "to_centimes",
    "to_hundredths",
]
