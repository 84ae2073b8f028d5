"""Benchmark of the pure adjudication engine: lines per second on one core.

`python bench/engine.py [lines]` prints one JSON line. Only `adjudicate_batch`
is timed; building the synthetic files (seeded, so runs compare) is not.
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    # Run as a script: make the repository root importable.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine import (
    BeneficiaryFacts,
    ClaimFile,
    ClaimLine,
    History,
    Provider,
    Snapshot,
    adjudicate_batch,
    snapshot_build,
)

SEED = 20260301
YEAR_START = date(2026, 1, 1)
CHUNK_FILES = 10_000


def _referentials(rng: random.Random) -> Snapshot:
    since = "2020-01-01"
    letters = [
        ("C", "80.00", "consultation"),
        ("Cs", "150.00", "consultation"),
        ("CNPSY", "190.00", "consultation"),
        ("V", "120.00", "visit"),
        ("Vs", "190.00", "visit"),
        ("Z", "10.00", "imaging"),
        ("K", "22.50", "surgery"),
        ("B", "1.10", "lab"),
    ]
    acts: list[dict[str, Any]] = [
        {"code": "KINE", "category": "physiotherapy", "tariff": "50.00"},
        {"code": "ORTHOPHONIE", "category": "speech_therapy", "tariff": "50.00"},
        {"code": "VERRES", "category": "optics", "tariff": "400.00"},
        {"code": "MONTURE", "category": "optics", "tariff": "300.00"},
        {"code": "COURONNE", "category": "prosthesis", "tariff": "1000.00"},
        {"code": "DETARTRAGE", "category": "dental", "tariff": "100.00", "frequency_max": 1, "frequency_days": 180},
        {"code": "JOUR-CLINIQUE", "category": "stay", "tariff": "500.00"},
        {"code": "IRM", "category": "imaging", "key_letter": "Z", "coefficient": 250, "needs_prior_approval": True},
    ]
    for i in range(300):
        acts.append(
            {"code": f"LAB{i:03d}", "category": "lab", "key_letter": "B", "coefficient": rng.choice([20, 40, 80])}
        )
        acts.append(
            {
                "code": f"CHIR{i:03d}",
                "category": "surgery",
                "key_letter": "K",
                "coefficient": rng.choice([10, 30, 50, 120]),
            }
        )
    medicines = []
    for i in range(3000):
        public = rng.randint(500, 50000)
        medicines.append(
            {
                "code": f"MED{i:04d}",
                "public_price": f"{public // 100}.{public % 100:02d}",
                "reference_price": None if rng.random() < 0.5 else f"{public * 7 // 1000}.{public * 7 // 10 % 100:02d}",
                "reimbursable": rng.random() > 0.03,
                "needs_prior_approval": rng.random() < 0.01,
                "valid_from": since,
            }
        )
    return snapshot_build(
        {
            "key_letters": [{"letter": c, "value": v, "category": k, "valid_from": since} for c, v, k in letters],
            "acts": [{**a, "valid_from": since} for a in acts],
            "medicines": medicines,
            "ald": [f"ALD{i:02d}" for i in range(1, 42)],
            "amo_rates": [
                {"category": "*", "setting": "ambulatory", "rate_bp": 8000},
                {"category": "*", "setting": "hospital_private", "rate_bp": 9000},
                {"category": "*", "setting": "hospital_public", "rate_bp": 10000},
                {"category": "medicine", "setting": "*", "rate_bp": 7000},
                {"category": "ald", "setting": "*", "rate_bp": 10000},
            ],
            "complementary": [
                {"category": "medicine", "rate_bp": 2000},
                {"category": "optics", "rate_bp": 2000, "ceiling": "150.00"},
                {"category": "lab", "rate_bp": 2000},
                {"category": "prosthesis", "rate_bp": 2000, "ceiling": "300.00"},
                {"category": "surgery", "rate_bp": 2000},
                {"category": "consultation", "flat": "10.00"},
            ],
            "parameters": [{"valid_from": since}],
        }
    )


def _beneficiaries(rng: random.Random, n: int) -> list[BeneficiaryFacts]:
    out = []
    for i in range(n):
        relation = rng.choices(("self", "spouse", "child"), (45, 25, 30))[0]
        age_days = rng.randint(1, 23 * 365) if relation == "child" else rng.randint(25 * 365, 70 * 365)
        born = YEAR_START - timedelta(days=age_days)
        joined = YEAR_START - timedelta(days=rng.randint(0, 20 * 365) if rng.random() > 0.03 else rng.randint(0, 60))
        status = rng.choices(("active", "retired", "suspended", "resigned"), (85, 12, 2, 1))[0]
        out.append(
            BeneficiaryFacts(
                beneficiary_id=f"B{i:07d}",
                relation=relation,
                birth_date=born,
                member_joined=joined,
                member_status=status,
                from_other_amo=rng.random() < 0.2,
                student_until=YEAR_START + timedelta(days=300) if relation == "child" and rng.random() < 0.3 else None,
                disabled=rng.random() < 0.01,
                ald=(f"ALD{rng.randint(1, 41):02d}",) if rng.random() < 0.08 else (),
            )
        )
    return out


def _line(rng: random.Random, ref: str, kind: str, on: date, facts: BeneficiaryFacts) -> ClaimLine:
    if kind == "medicine":
        qty = rng.randint(1, 3)
        return ClaimLine(
            ref=ref,
            kind="medicine",
            code=f"MED{rng.randrange(3000):04d}",
            date=on,
            quantity=qty,
            paid=rng.randint(500, 50000) * qty,
            ald=facts.ald[0] if facts.ald and rng.random() < 0.7 else None,
        )
    if kind == "stay":
        days = rng.randint(1, 6)
        return ClaimLine(
            ref=ref,
            kind="stay",
            code=rng.choice(("JOUR-CLINIQUE", "")),
            date=on,
            quantity=days,
            paid=rng.randint(40000, 90000) * days,
        )
    code = rng.choices(
        ("C", "Cs", "V", "Z", "KINE", "VERRES", "COURONNE", "DETARTRAGE", "IRM", "LAB", "CHIR"),
        (30, 15, 3, 6, 6, 5, 2, 3, 1, 20, 4),
    )[0]
    coef = 100
    if code in ("LAB", "CHIR"):
        code = f"{code}{rng.randrange(300):03d}"
    elif code == "Z":
        coef = rng.choice((1500, 3000, 4550))
    return ClaimLine(
        ref=ref,
        kind="act",
        code=code,
        date=on,
        coefficient_x100=coef,
        quantity=rng.randint(1, 10) if code == "KINE" else 1,
        paid=rng.randint(3000, 400000),
        prior_approval="AP" if rng.random() < 0.5 else None,
    )


def build_files(lines: int, seed: int = SEED) -> list[ClaimFile]:
    return [f for chunk in iter_chunks(lines, seed) for f in chunk]


def iter_chunks(lines: int, seed: int = SEED, chunk_files: int = 10_000) -> Iterator[list[ClaimFile]]:
    """Synthetic files in chunks, as the batch job loads them from the database."""
    rng = random.Random(seed)
    people = _beneficiaries(rng, max(2000, lines // 150))
    providers = {
        "doctor": [Provider("private", "doctor", f"DR{i:06d}") for i in range(500)],
        "pharmacy": [Provider("private", "pharmacy", f"PH{i:06d}") for i in range(400)],
        "lab": [Provider("private", "lab", f"LB{i:06d}") for i in range(100)],
        "clinic": [Provider("private", "clinic", f"CL{i:06d}") for i in range(50)],
        "hospital": [Provider("public", "hospital", f"HP{i:06d}") for i in range(30)],
    }
    kinds = {
        "doctor": ("act",),
        "pharmacy": ("medicine",),
        "lab": ("act",),
        "clinic": ("stay", "act", "medicine"),
        "hospital": ("stay", "act"),
    }
    files: list[ClaimFile] = []
    previous: list[ClaimFile] = []
    made = 0
    count = 0
    while made < lines:
        if len(files) >= chunk_files:
            yield files
            files = []
        n = min(rng.randint(3, 6), lines - made)
        if previous and rng.random() < 0.02:
            # Filed twice: the lines come back as DUPLICATE.
            again = rng.choice(previous)
            if len(again.lines) <= lines - made:
                files.append(again)
                made += len(again.lines)
                continue
        facts = rng.choice(people)
        pkind = rng.choices(tuple(providers), (45, 35, 10, 6, 4))[0]
        provider = rng.choice(providers[pkind])
        on = YEAR_START + timedelta(days=rng.randrange(300))
        ls = tuple(
            _line(rng, f"L{j}", rng.choice(kinds[pkind]), on + timedelta(days=rng.randint(0, 3)), facts)
            for j in range(n)
        )
        late = rng.random() < 0.03
        count += 1
        f = ClaimFile(
            ref=f"F{count:08d}",
            beneficiary=facts,
            filed_on=on + timedelta(days=rng.randint(61, 120) if late else rng.randint(4, 55)),
            filed_by=rng.choice(("member", "provider")),
            provider=provider,
            lines=ls,
        )
        files.append(f)
        if len(previous) < 10_000:
            previous.append(f)
        made += n
    if files:
        yield files


def run(lines: int = 1_000_000, *, pause_gc: bool = True) -> dict[str, Any]:
    """Adjudicate `lines` synthetic lines; pause_gc as the batch job calls it
    (pass False to see the cost of the cyclic garbage collector)."""
    snapshot = _referentials(random.Random(SEED))
    history = History()
    n = 0
    elapsed = 0.0
    # Like the batch job: load a chunk, adjudicate it with the History shared by
    # all chunks, store the decisions, drop both. Only adjudicate_batch is timed,
    # in CPU time of this process: the engine is single-threaded, so on an idle
    # machine that equals wall time, and on a shared one it is not inflated by
    # other processes taking turns on the core.
    for chunk in iter_chunks(lines, SEED, CHUNK_FILES):
        t0 = time.process_time()
        decisions = adjudicate_batch(chunk, snapshot, history, pause_gc=pause_gc)
        elapsed += time.process_time() - t0
        n += sum(len(d.lines) for d in decisions)
        del decisions, chunk
    return {"scenario": "engine", "lines_per_s": int(n / elapsed), "lines": n}


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    print(json.dumps(run(int(args[0]) if args else 1_000_000, pause_gc="--gc" not in sys.argv)))
