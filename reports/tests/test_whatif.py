"""The what-if replay: hand-worked figures, nothing written, the proposal's checks, the command."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import translation

from accounts.roles import Role
from audit.models import AuditEvent
from claims.models import ClaimFile, ClaimLine, ClaimTransition, PriorApproval
from claims.services import claim_adjudicate
from claims.tests.factories import CONSULTATION, MEDICINE, SNAPSHOT_DATA, file_make, member_make, snapshot
from reports.whatif_ahead import replay_all
from reports.whatif_proposal import ProposalError, known_codes, proposal_parse
from reports.whatif_read import Period
from reports.whatif_replay import Replayer, rules_build
from reports.whatif_report import report_json, report_of
from reports.whatif_result import Accumulator
from reports.whatif_services import result_finish

pytestmark = pytest.mark.django_db
YEAR = Period(date(2025, 1, 1), date(2025, 12, 31))


@pytest.fixture(autouse=True)
def _no_sample(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CLAIMS_REVIEW_SAMPLE_SHARE = "0"


def _decided(member: Any, lines: list[dict[str, Any]], **kw: Any) -> ClaimFile:
    return claim_adjudicate(actor=None, claim=file_make(member=member, lines=lines, **kw), snapshot=snapshot())


def _replay(raw: dict[str, Any], period: Period = YEAR) -> dict[str, Any]:
    proposal = proposal_parse(raw, known=known_codes(SNAPSHOT_DATA))
    replayer = replay_all(period=period, rules=rules_build(proposal, period=period, data=SNAPSHOT_DATA))
    return report_json(report_of(result_finish(replayer.acc)), period=("a", "b"), name=proposal.name)


def _three_consultations() -> Any:
    member = member_make()
    for day in (3, 10, 17):  # three files, three dates: no duplicate
        _decided(member, [{**CONSULTATION, "care_date": date(2025, 3, day)}])
    return member


FLAT_15 = {"changes": [{"type": "complementary", "category": "consultation", "flat": "15.00"}]}


def test_it_costs_a_higher_consultation_flat_sum_by_hand() -> None:
    _three_consultations()
    out = _replay(FLAT_15)
    # Each C paid 100.00: basis 80.00, AMO 80 % = 64.00, flat 10.00 -> 15.00; remainder 26.00 -> 21.00.
    assert out["lines"] == 3 and out["lines_changed"] == 3
    assert out["totals"]["complementary"] == {"current": "30.00", "proposed": "45.00", "change": "15.00"}
    assert out["totals"]["remainder"] == {"current": "78.00", "proposed": "63.00", "change": "-15.00"}
    assert out["totals"]["amo"]["change"] == "0.00"
    assert out["mutual_change"] == "15.00"
    assert (out["members"], out["members_affected"]) == (1, 1)
    (cat,) = out["by_category"]
    assert (cat["key"], cat["lines"], cat["change"]) == ("consultation", 3, "15.00")
    assert [t["remainder_proposed"] for t in out["top_lines"]] == ["21.00"] * 3
    # What the member still pays over the year: 78.00 and 63.00, both in the 0–100 bucket.
    assert [b["current"] for b in out["remainder_per_member"]] == [0, 1, 0, 0, 0, 0]
    assert [b["proposed"] for b in out["remainder_per_member"]] == [0, 1, 0, 0, 0, 0]


def test_it_costs_a_medicine_complement_of_25_percent_by_hand() -> None:
    _decided(member_make(), [MEDICINE])
    out = _replay({"changes": [{"type": "complementary", "category": "medicine", "rate_percent": "25"}]})
    # MED1 x2: generic 60.00 x 2 = 120.00 basis; AMO 70 % = 84.00; 20 % = 24.00 -> 25 % = 30.00.
    assert out["totals"]["complementary"] == {"current": "24.00", "proposed": "30.00", "change": "6.00"}
    assert out["totals"]["remainder"] == {"current": "92.00", "proposed": "86.00", "change": "-6.00"}


def test_it_charges_a_new_yearly_ceiling_in_the_order_lines_were_decided() -> None:
    _three_consultations()
    out = _replay({"changes": [{"type": "complementary", "category": "consultation", "ceiling": "25.00"}]})
    # Flat 10.00 kept; the ceiling of 25.00 a year leaves 10 + 10 + 5: the third line loses 5.00.
    assert out["totals"]["complementary"] == {"current": "30.00", "proposed": "25.00", "change": "-5.00"}
    (top,) = out["top_lines"]
    assert (top["care_date"], top["mutual_current"], top["mutual_proposed"]) == ("2025-03-17", "74.00", "69.00")


def test_it_costs_a_key_letter_value_by_hand() -> None:
    _decided(member_make(), [CONSULTATION])
    out = _replay({"changes": [{"type": "key_letter", "letter": "C", "sector": "private", "value": "90.00"}]})
    # C 90.00 < paid 100.00: basis 90.00, AMO 72.00 (was 64.00), flat 10.00; remainder 26.00 -> 18.00.
    assert out["totals"]["amo"] == {"current": "64.00", "proposed": "72.00", "change": "8.00"}
    assert out["totals"]["remainder"]["proposed"] == "18.00"


def test_it_replays_only_the_period_and_leaves_other_sectors_alone() -> None:
    member = member_make()
    _decided(member, [{**CONSULTATION, "care_date": date(2025, 3, 10)}])
    _decided(member, [{**CONSULTATION, "care_date": date(2025, 5, 10)}], filed_on=date(2025, 5, 20))
    out = _replay({"changes": [{"type": "key_letter", "letter": "C", "sector": "public", "value": "90.00"}]},
                  period=Period(date(2025, 5, 1), date(2025, 5, 31)))  # fmt: skip
    assert out["lines"] == 1 and out["lines_changed"] == 0 and out["mutual_change"] == "0.00"


def test_it_gives_the_stored_decisions_back_under_the_current_rules() -> None:
    member = _three_consultations()
    _decided(member, [MEDICINE, {"kind": "act", "code": "KINE", "quantity": 3, "paid": "180.00"}])
    out = _replay(FLAT_15)
    stored = ClaimLine.objects.exclude(status="pending")
    for name in ("amo", "complementary", "remainder"):
        assert Decimal(out["totals"][name]["current"]) == sum(getattr(x, name) for x in stored)


def _state() -> list[Any]:
    return [
        list(ClaimFile.objects.order_by("pk").values_list()),
        list(ClaimLine.objects.order_by("pk").values_list()),
        list(ClaimTransition.objects.order_by("pk").values_list()),
        list(PriorApproval.objects.order_by("pk").values_list()),
        AuditEvent.objects.count(),
    ]


def test_it_never_writes_a_decision() -> None:
    _three_consultations()
    before = _state()
    _replay(FLAT_15)
    assert _state() == before


def test_it_cuts_chunks_at_member_boundaries_and_adds_up_the_same() -> None:
    for _ in range(3):
        _three_consultations()
    proposal = proposal_parse(FLAT_15, known=known_codes(SNAPSHOT_DATA))
    rules = rules_build(proposal, period=YEAR, data=SNAPSHOT_DATA)
    whole = replay_all(period=YEAR, rules=rules).acc.to_json()
    # Chunks of about two lines: whole members each time, the cursor carried through JSON.
    acc, after, steps = Accumulator(), 0, 0
    while after is not None:
        replayer = Replayer(period=YEAR, rules=rules, acc=Accumulator.from_json(json.loads(json.dumps(acc.to_json()))))
        after = replayer.chunk(after=after, size=2)
        acc, steps = replayer.acc, steps + 1
    assert steps == 4 and acc.to_json() == json.loads(json.dumps(whole))


def test_it_goes_on_past_a_chunk_of_members_whose_lines_are_all_undecided() -> None:
    _three_consultations()
    waiting = member_make()  # two files received, not decided: lines in the period, none replayed
    for day in (4, 11):
        file_make(member=waiting, lines=[{**CONSULTATION, "care_date": date(2025, 3, day)}])
    _three_consultations()
    proposal = proposal_parse(FLAT_15, known=known_codes(SNAPSHOT_DATA))
    rules = rules_build(proposal, period=YEAR, data=SNAPSHOT_DATA)
    # Chunks of about two lines: the middle member's chunk has no row, and is not the end.
    acc, after = Accumulator(), 0
    while after is not None:
        replayer = Replayer(period=YEAR, rules=rules, acc=acc)
        after = replayer.chunk(after=after, size=2)
        acc = replayer.acc
    assert (acc.lines, acc.members) == (6, 2)
    assert replay_all(period=YEAR, rules=rules, size=2).acc.lines == 6


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the read-ahead thread is PostgreSQL's")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_reads_ahead_in_a_thread_outside_a_transaction_and_adds_up_the_same() -> None:
    for _ in range(3):
        _three_consultations()
    proposal = proposal_parse(FLAT_15, known=known_codes(SNAPSHOT_DATA))
    rules = rules_build(proposal, period=YEAR, data=SNAPSHOT_DATA)
    assert not connection.in_atomic_block  # committed rows: the second connection sees them
    ahead = replay_all(period=YEAR, rules=rules, size=2).acc.to_json()
    with transaction.atomic():  # in turn, on this connection only
        in_turn = replay_all(period=YEAR, rules=rules, size=2).acc.to_json()
    assert ahead == in_turn and ahead["lines"] == 9


@pytest.mark.parametrize(
    ("raw", "where"),
    [
        ({"changes": [{"type": "gift"}]}, "changes[0].type"),
        ({"changes": [{"type": "complementary", "category": "consultation", "flat": "1.234"}]}, "changes[0].flat"),
        ({"changes": [{"type": "complementary", "category": "consultation", "flat": "-1"}]}, "changes[0].flat"),
        ({"changes": [{"type": "complementary", "category": "consultation", "flat": "5", "rate_percent": "5"}]},
         "changes[0]"),
        ({"changes": [{"type": "complementary", "category": "medicine", "rate_percent": "120"}]},
         "changes[0].rate_percent"),
        ({"changes": [{"type": "key_letter", "letter": "ZZ", "value": "9"}]}, "changes[0].letter"),
        ({"changes": [{"type": "act_tariff", "code": "KINE", "coefficient": "2"}]}, "changes[0]"),
        ({"changes": []}, "changes"),
        ({"changes": [FLAT_15["changes"][0], FLAT_15["changes"][0]]}, "changes"),
        ({"effective_from": "soon", **FLAT_15}, "effective_from"),
    ],
)  # fmt: skip
def test_it_refuses_a_bad_proposal_with_where_and_why(raw: dict[str, Any], where: str) -> None:
    with pytest.raises(ProposalError) as info:
        proposal_parse(raw, known=known_codes(SNAPSHOT_DATA))
    assert where in [p.where for p in info.value.problems]


def test_it_says_what_is_wrong_in_french_and_arabic() -> None:
    raw = {"changes": [{"type": "complementary", "category": "medicine", "rate_percent": "120"}]}
    for lang in ("fr", "ar"):
        with translation.override(lang):
            with pytest.raises(ProposalError) as info:
                proposal_parse(raw, known=known_codes(SNAPSHOT_DATA))
            text = info.value.problems[0].text()
        assert "percentage" not in text and "changes[0].rate_percent" in text, (lang, text)


def test_the_command_prints_json_and_refuses_a_bad_proposal(tmp_path: Path, capsys: Any) -> None:
    good, bad = tmp_path / "p.json", tmp_path / "bad.json"
    good.write_text(json.dumps({"name": "C15", **FLAT_15}))
    bad.write_text(json.dumps({"changes": [{"type": "complementary", "category": "nope", "flat": "1"}]}))
    call_command("whatif", "--from", "2025-01-01", "--to", "2025-12-31", "--change", str(good))
    out = json.loads(capsys.readouterr().out)
    assert out["name"] == "C15" and out["period"]["by"] == "date of care" and out["lines"] == 0
    with pytest.raises(CommandError) as info:
        call_command("whatif", "--from", "2025-01-01", "--to", "2025-12-31", "--change", str(bad))
    assert info.value.returncode == 2 and "changes[0].category" in str(info.value)
    with pytest.raises(CommandError):
        call_command("whatif", "--from", "2025-12-31", "--to", "2025-01-01", "--change", str(good))


def test_it_needs_the_permission_to_run(make_user: Any) -> None:
    from mutuelle.errors import DomainError
    from reports.whatif_services import whatif_run_create

    with pytest.raises(DomainError):
        whatif_run_create(actor=make_user(Role.CLAIMS_OFFICER), start=YEAR.start, end=YEAR.end, raw=FLAT_15)
