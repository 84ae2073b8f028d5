"""Control signals for medical controllers: files worth a look, each with its reason and its figures.

A signal is a suggestion, never a decision: these are reads (nothing here writes), and the page
links to the claim file where a controller decides through the claims services as usual.
Four signals, each a few set-based queries whatever the number of lines (constant count):

- duplicates: the same act or medicine (kind, code) for the same beneficiary on the same date of
  care, in files of different providers (the engine's duplicate check is per provider);
- providers: a provider whose average basis per file, or lines per patient, exceeds the
  threshold multiple of its peers' median (same kind, same region), in a peer group large
  enough. The provider register holds a city, not a region: a city's region is the one most
  members living there have (members.Member.region), else the city stands for itself;
- frequency: a beneficiary with more consultations than allowed within a sliding window of days;
- approvals: a granted prior approval used faster than its validity runs.

Thresholds are dated rows (reports.ControlThreshold) read for the last day of the period.
Files of every status count except cancelled ones.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum

from accounts.models import Provider
from claims.models import ClaimFile, ClaimLine, ClaimStatus, PriorApproval
from members.models import Member
from referentials.models import Act, KeyLetter
from reports.controls_types import (
    ApprovalSignal,
    DuplicateSignal,
    FileRef,
    Found,
    FrequencySignal,
    ProviderSignal,
    Window,
)
from reports.models_whatif import ControlThreshold, ControlThresholdName

T = ControlThresholdName
SIGNALS = ("duplicates", "providers", "frequency", "approvals")
CONSULTATION = "consultation"


def thresholds_on(day: date) -> dict[str, Decimal]:
    """Every threshold in force on `day` (one query); a missing one is a LookupError when needed."""
    rows = ControlThreshold.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day), valid_from__lte=day)
    return dict(rows.values_list("name", "value"))


def _threshold(values: dict[str, Decimal], name: str) -> Decimal:
    try:
        return values[name]
    except KeyError:
        raise LookupError(f"no control threshold {name!r} in force") from None


def window_default(*, today: date) -> Window:
    """The twelve months up to the latest stored date of care (up to `today` when there is none)."""
    last = ClaimLine.objects.aggregate(m=Max("care_date"))["m"] or today
    return Window(last - timedelta(days=364), last)


def _lines(window: Window) -> QuerySet[ClaimLine]:
    return ClaimLine.objects.filter(care_date__gte=window.start, care_date__lte=window.end).exclude(
        file__status=ClaimStatus.CANCELLED
    )


# ---------------------------------------------------------------- duplicates across providers


def duplicate_groups(window: Window) -> QuerySet[Any]:
    """(beneficiary, kind, code, date) seen by more than one provider: one aggregate query, paginated
    by the caller (its count is a second one)."""
    return (
        _lines(window)
        .exclude(code="")
        .exclude(file__provider_inpe="")
        .values("file__beneficiary_id", "kind", "code", "care_date")
        .annotate(providers=Count("file__provider_inpe", distinct=True))
        .filter(providers__gt=1)
        .order_by("-care_date", "file__beneficiary_id", "kind", "code")
    )


def duplicate_signals(window: Window, *, page: slice = slice(None)) -> Found:
    """The page's groups (one count, one page of the GROUP BY) with their files and beneficiaries (one query)."""
    found = duplicate_groups(window)
    total = found.count()
    groups = list(found[page]) if total else []
    if not groups:
        return Found(total, [])
    match = Q()
    for g in groups:
        match |= Q(file__beneficiary_id=g["file__beneficiary_id"], kind=g["kind"], code=g["code"],
                   care_date=g["care_date"])  # fmt: skip
    rows = (
        _lines(window)
        .filter(match)
        .order_by("file_id")
        .values_list("file__beneficiary_id", "kind", "code", "care_date", "file_id", "file__number",
                     "file__provider_inpe", "file__beneficiary__card_number", "member_id")
    )  # fmt: skip
    files: dict[tuple[Any, ...], dict[int, FileRef]] = defaultdict(dict)
    who: dict[int, tuple[str, int]] = {}
    for ben, kind, code, on, fid, number, inpe, card, member in rows:
        files[(ben, kind, code, on)][fid] = FileRef(fid, number, inpe)
        who[ben] = (card, member)
    out = []
    for g in groups:
        key = (g["file__beneficiary_id"], g["kind"], g["code"], g["care_date"])
        card, member = who.get(key[0], ("", 0))
        out.append(DuplicateSignal(key[0], card, member, key[1], key[2], key[3], g["providers"],
                                   list(files[key].values())))  # fmt: skip
    return Found(total, out)


# ---------------------------------------------------------------- providers far above their peers


def _latest_files(inpes: list[str], window: Window) -> dict[str, FileRef]:
    if not inpes:
        return {}
    latest = (
        _lines(window)
        .filter(file__provider_inpe__in=inpes)
        .values("file__provider_inpe")
        .annotate(last=Max("file_id"))
        .values_list("last", flat=True)
    )
    files = ClaimFile.objects.filter(pk__in=list(latest)).values_list("pk", "number", "provider_inpe")
    return {inpe: FileRef(pk, number, inpe) for pk, number, inpe in files}


def city_regions() -> dict[str, str]:
    """Each city's region: the one most of the members living there have (one GROUP BY)."""
    rows = (
        Member.objects.exclude(region="").exclude(city="").values("city", "region").annotate(n=Count("id"))
        .order_by("city", "-n", "region")
    )  # fmt: skip
    out: dict[str, str] = {}
    for r in rows:
        out.setdefault(r["city"], r["region"])
    return out


def provider_signals(window: Window, values: dict[str, Decimal], *, page: slice = slice(None)) -> Found:
    """Providers above `provider_ratio` × the median of their peers (same kind and region), in groups of
    at least `provider_min_peers`: one aggregate query, the register and the cities' regions (two), the
    latest files (two)."""
    ratio_max = _threshold(values, T.PROVIDER_RATIO)
    min_peers = int(_threshold(values, T.PROVIDER_MIN_PEERS))
    rows = list(
        _lines(window)
        .exclude(file__provider_inpe="")
        .values("file__provider_inpe", "file__provider_kind")
        .annotate(basis=Sum("basis"), files=Count("file_id", distinct=True),
                  patients=Count("file__beneficiary_id", distinct=True), lines=Count("id"))
        .order_by("file__provider_inpe", "file__provider_kind")
    )  # fmt: skip
    register = {r[0]: r[1:] for r in Provider.objects.values_list("inpe", "name", "name_ar", "city")}
    regions = city_regions()
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        city = register.get(r["file__provider_inpe"], ("", "", ""))[2]
        r["city"], r["region"] = city, regions.get(city, "")
        r["per_file"] = (r["basis"] or Decimal(0)) / r["files"]
        r["per_patient"] = Decimal(r["lines"]) / r["patients"]
        groups[(r["file__provider_kind"], r["region"] or f"city:{city}")].append(r)
    flagged: list[tuple[dict[str, Any], str, tuple[str, str], Decimal, Decimal, Decimal, int]] = []
    for key, peers in groups.items():
        if len(peers) < min_peers:
            continue
        med_file = statistics.median(p["per_file"] for p in peers)
        med_patient = statistics.median(p["per_patient"] for p in peers)
        for p in peers:
            r_file = p["per_file"] / med_file if med_file else Decimal(0)
            r_patient = p["per_patient"] / med_patient if med_patient else Decimal(0)
            ratio, measure = (r_file, "basis") if r_file >= r_patient else (r_patient, "volume")
            if ratio > ratio_max:
                flagged.append((p, measure, key, ratio, med_file, med_patient, len(peers)))
    flagged.sort(key=lambda f: (-f[3], f[0]["file__provider_inpe"]))
    total, flagged = len(flagged), flagged[page]
    latest = _latest_files([f[0]["file__provider_inpe"] for f in flagged], window)
    q2 = Decimal("0.01")
    out = []
    for p, measure, (kind, _area), ratio, med_file, med_patient, n in flagged:
        inpe = p["file__provider_inpe"]
        name = register.get(inpe, ("", "", ""))[0]
        out.append(ProviderSignal(
            inpe, name, kind, p["city"], p["region"], p["files"], p["patients"], p["lines"], p["per_file"].quantize(q2),
            p["per_patient"].quantize(q2), n, Decimal(med_file).quantize(q2), Decimal(med_patient).quantize(q2),
            ratio.quantize(q2), measure, latest.get(inpe),
        ))  # fmt: skip
    return Found(total, out)


# ---------------------------------------------------------------- unusual frequencies


def consultation_codes(day: date) -> list[str]:
    """The act codes and bare key letters of the consultation category in force on `day` (two queries)."""
    live = Q(valid_to__isnull=True) | Q(valid_to__gt=day), Q(valid_from__lte=day)
    acts = Act.objects.filter(*live, category=CONSULTATION).values_list("code", flat=True)
    letters = KeyLetter.objects.filter(*live, category=CONSULTATION).values_list("letter", flat=True)
    return sorted({*acts, *letters})


def frequency_signals(window: Window, values: dict[str, Decimal], *, page: slice = slice(None)) -> Found:
    """Beneficiaries with more than `frequency_max` consultations within `frequency_days` days.

    The beneficiaries above the count over the whole window first (one GROUP BY), then their
    consultation lines (one query) for the sliding window."""
    allowed = int(_threshold(values, T.FREQUENCY_MAX))
    days = int(_threshold(values, T.FREQUENCY_DAYS))
    codes = consultation_codes(window.end)
    base = _lines(window).filter(kind="act", code__in=codes)
    many = base.values("file__beneficiary_id").annotate(n=Sum("quantity")).filter(n__gt=allowed)
    rows = (
        base.filter(file__beneficiary_id__in=many.values("file__beneficiary_id"))
        .order_by("file__beneficiary_id", "care_date", "file_id")
        .values_list("file__beneficiary_id", "care_date", "quantity", "file_id", "file__number",
                     "file__provider_inpe", "file__beneficiary__card_number", "member_id")
    )  # fmt: skip
    by_ben: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        by_ben[row[0]].append(row)
    out = []
    span = timedelta(days=days)
    for ben, lines in by_ben.items():
        best: tuple[int, int, int] = (0, 0, 0)  # (count, first index, last index)
        lo, total = 0, 0
        for hi, line in enumerate(lines):
            total += line[2]
            while line[1] - lines[lo][1] >= span:
                total -= lines[lo][2]
                lo += 1
            if total > best[0]:
                best = (total, lo, hi)
        if best[0] > allowed:
            inside = lines[best[1] : best[2] + 1]
            files = list({r[3]: FileRef(r[3], r[4], r[5]) for r in inside}.values())
            out.append(FrequencySignal(ben, lines[0][6], lines[0][7], best[0], inside[0][1], inside[-1][1], days,
                                       allowed, files))  # fmt: skip
    out.sort(key=lambda s: (-s.count, s.card_number))
    return Found(len(out), out[page])


# ---------------------------------------------------------------- approvals used faster than granted


def approval_signals(window: Window, values: dict[str, Decimal], *, page: slice = slice(None)) -> Found:
    """Granted approvals, in force during the window, whose share used exceeds `approval_pace` × the
    share of their validity elapsed on the window's last day, once `approval_min_used` % is used."""
    pace = _threshold(values, T.APPROVAL_PACE)
    min_used = _threshold(values, T.APPROVAL_MIN_USED)
    day = window.end
    rows = list(
        PriorApproval.objects.filter(
            status=PriorApproval.Status.GRANTED, quantity_consumed__gt=0, quantity_granted__gt=0,
            valid_from__lte=day, valid_to__gte=window.start,
        ).values_list("pk", "number", "beneficiary_id", "beneficiary__card_number", "member_id", "kind", "code",
                      "valid_from", "valid_to", "quantity_granted", "quantity_consumed")
    )  # fmt: skip
    hundred = Decimal(100)
    flagged = []
    for pk, number, ben, card, member, kind, code, start, end, granted, consumed in rows:
        if start is None or end is None:  # a granted approval has both (priorapproval_granted_has_dates)
            continue
        length = (end - start).days + 1
        elapsed = (min(day, end) - start).days + 1
        used_pct = hundred * consumed / granted
        elapsed_pct = hundred * elapsed / length
        if used_pct >= min_used and used_pct > pace * elapsed_pct:
            flagged.append((pk, number, ben, card, member, kind, code, start, end, granted, consumed,
                            used_pct.quantize(Decimal("0.1")), elapsed_pct.quantize(Decimal("0.1"))))  # fmt: skip
    flagged.sort(key=lambda f: (-(f[11] / f[12]), f[1]))
    total, flagged = len(flagged), flagged[page]
    latest: dict[tuple[int, str], FileRef] = {}
    if flagged:
        match = Q()
        for f in flagged:
            match |= Q(file__beneficiary_id=f[2], code=f[6], care_date__gte=f[7], care_date__lte=f[8])
        found = (
            ClaimLine.objects.filter(match)
            .exclude(file__status=ClaimStatus.CANCELLED)
            .order_by("file_id")
            .values_list("file__beneficiary_id", "code", "file_id", "file__number", "file__provider_inpe")
        )
        for ben, code, fid, number, inpe in found:
            latest[(ben, code)] = FileRef(fid, number, inpe)
    return Found(total, [ApprovalSignal(*f, latest_file=latest.get((f[2], f[6]))) for f in flagged])
