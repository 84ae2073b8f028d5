"""Demo claim files in every state, made through the real services (`python manage.py demo`).

Member i draws its files from `random.Random(f"{seed}:claims:{i}")`; a member that already has
a claim file is skipped, so a second run creates nothing. Files are received at the counter or
by post (reception), adjudicated by the engine, approved or rejected by the claims officer or
the medical controller; a few are paid through an earlier batch (prepared, validated by a second
accountant, exported, confirmed, and marked paid by a bank return file). Dates follow the fixed
demo "today" of demo.members. Claim and approval numbers are drawn by the services (random).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.test.utils import override_settings

from accounts.models import Provider, User
from claims.models import Channel, ClaimFile, ClaimStatus
from claims.services import adjudicate_received_chunk, claim_create, claim_transition
from claims.services.adjudication import snapshot_current
from claims.services.approvals import prior_approval_decide, prior_approval_request
from claims.services.intake import LineInput
from demo.clock import demo_clock_at, demo_moment
from demo.members import FIRST_MATRICULE, TODAY, _rib
from members.models import Member, MemberStatus
from payments.management.return_sample import return_csv_sample
from payments.models import BatchKind, ProviderAccount
from payments.services import (
    payable_claims,
    payment_batch_confirm,
    payment_batch_export,
    payment_batch_prepare,
    payment_batch_validate,
    payment_return_import,
)
from referentials.models import Medicine

S = ClaimStatus
D = Decimal
# What becomes of a file: received, incomplete, returned, cancelled, adjudicated, review (hospital
# or surgery: medical review), approved, provider (tiers payant), late (filed too late), paid.
SCENARIOS = ("received", "incomplete", "returned", "cancelled", "adjudicated", "review", "approved", "provider",
             "late", "paid")  # fmt: skip
WEIGHTS = (6, 3, 3, 1, 9, 7, 38, 9, 4, 8)
COVER = 3 * len(SCENARIOS)  # members 1..COVER take the scenarios in turn for their first file
# The `adherent` login's own files: (scenario, beneficiary rank).
ADHERENT_PLAN = [("paid", 0), ("approved", 2), ("adjudicated", 1), ("returned", 0), ("received", 3)]
PENDING_APPROVALS = [("act", "IRM", "Lombosciatique rebelle, suspicion de hernie discale"),
                     ("act", "COURONNE", "Molaire 36 délabrée après traitement canalaire"),
                     ("act", "APP-AUDITIF", "Surdité de perception bilatérale (audiogramme joint)"),
                     ("stay", "JOUR-REA", "Surveillance post-opératoire en réanimation")]  # fmt: skip
DIAGNOSES = {"APPENDIC": "Appendicite aiguë", "HERNIE": "Hernie inguinale droite",
             "CHOLECYST": "Lithiase vésiculaire symptomatique", "CESARIENNE": "Césarienne programmée, siège",
             "CATARACTE": "Cataracte sénile de l'œil droit"}  # fmt: skip
WAITING = ("received", "incomplete", "returned", "cancelled")
NEEDS_APPROVAL = {"CATARACTE": "Baisse d'acuité visuelle à 2/10, gêne fonctionnelle",
                  "CHOLECYST": "Coliques hépatiques récidivantes, échographie jointe"}  # fmt: skip
# The earlier batch: prepared on BATCH_DAY, sent the next day, the bank's answer three days later;
# its files are filed PAID_FILED days before "today" and decided before BATCH_DAY.
BATCH_DAY = TODAY - dt.timedelta(days=27)
PAID_FILED = (40, 62)
MISSING = [["prescription"], ["invoice"], ["care_sheet", "prescription"], ["medicine_labels"], ["lab_results"]]


class SilentSms:
    """Synthetic members are not texted while the demo loads."""

    def send(self, *, phone: str, text: str) -> None:
        return None


@dataclass
class Staff:
    reception: User
    officer: User
    doctor: User
    accountant: User
    accountant2: User

    @classmethod
    def load(cls) -> Staff:
        users = {u.username: u for u in User.objects.filter(
            username__in=["reception", "liquidateur", "medecin", "comptable", "comptable2"])}  # fmt: skip
        return cls(users["reception"], users["liquidateur"], users["medecin"], users["comptable"], users["comptable2"])


def _money(value: float) -> Decimal:
    return D(str(round(value, 2))).quantize(D("0.01"))


class _Lines:
    """Realistic lines from the seeded referentials (acts by code, medicines from the list)."""

    def __init__(self) -> None:
        self.medicines = list(
            Medicine.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=TODAY), valid_from__lte=TODAY,
                                    reimbursable=True, needs_prior_approval=False, public_price__lt=400)
            .order_by("code").values_list("code", "public_price")
        )  # fmt: skip

    def meds(self, rng: random.Random, day: dt.date, n: int) -> list[LineInput]:
        out = []
        for code, price in rng.sample(self.medicines, min(n, len(self.medicines))):
            qty = rng.choice([1, 1, 1, 2, 3])
            out.append(LineInput(kind="medicine", code=code, care_date=day, quantity=qty, unit_price=price,
                                 paid=price * qty))  # fmt: skip
        return out

    def act(self, code: str, day: dt.date, paid: float, qty: int = 1, **kw: Any) -> LineInput:
        return LineInput(kind="act", code=code, care_date=day, paid=_money(paid), quantity=qty, **kw)

    def care(self, rng: random.Random, day: dt.date, kind: str) -> list[LineInput]:
        r = rng.randint
        if kind == "gp":
            return [self.act("CONS-G", day, r(100, 200)), *self.meds(rng, day, r(1, 3))]
        if kind == "specialist":
            extra = [self.act("ECG", day, r(150, 250))] if rng.random() < 0.3 else []
            return [self.act("CONS-S", day, r(250, 400)), *extra, *self.meds(rng, day, r(1, 3))]
        if kind == "lab":
            codes = rng.sample(["NFS", "GLYCEMIE", "BILAN-LIP", "CREAT", "TSH", "ECBU", "HBA1C"], r(2, 4))
            return [self.act(c, day, {"NFS": 70, "GLYCEMIE": 25, "CREAT": 35, "ECBU": 90}.get(c, 130)) for c in codes]
        if kind == "imaging":
            code = rng.choice(["RX-THORAX", "RX-MEMBRE", "ECHO-ABDO"])
            return [self.act(code, day, {"RX-THORAX": 250, "RX-MEMBRE": 200}.get(code, 500))]
        if kind == "optics":
            return [self.act("VERRES", day, r(600, 1400)), self.act("MONTURE", day, r(300, 900))]
        if kind == "dental":
            return [self.act("CONS-G", day, 150), self.act("SOIN-DENT", day, r(200, 400))]
        if kind == "physio":
            n = r(6, 12)
            return [self.act("SEANCE-KINE", day, n * r(70, 100), qty=n, treatment_end=day + dt.timedelta(days=3 * n))]
        return self.meds(rng, day, r(1, 4))  # pharmacy

    def stay(self, rng: random.Random, day: dt.date, surgery: str, approval: int | None) -> list[LineInput]:
        nights = rng.randint(2, 4)
        end = day + dt.timedelta(days=nights)
        stay = LineInput(kind="stay", code="JOUR-CLIN", care_date=day, quantity=nights, treatment_end=end,
                         paid=_money(nights * rng.randint(700, 1200)))  # fmt: skip
        op = self.act(surgery, day, rng.randint(4000, 9000), inpatient=True, prior_approval_id=approval)
        return [stay, op, *self.meds(rng, end, 2)]


CARE_KINDS = ("gp", "specialist", "lab", "imaging", "optics", "dental", "physio", "pharmacy")
CARE_WEIGHTS = (30, 20, 10, 6, 5, 6, 4, 10)
PROVIDER_KINDS = {"gp": "doctor", "specialist": "doctor", "lab": "lab", "imaging": "lab", "dental": "doctor",
                  "physio": "doctor", "pharmacy": "pharmacy"}  # fmt: skip


@dataclass
class _Job:
    member: Member
    rank: int
    scenario: str
    rng: random.Random
    when: random.Random  # the moments of the file's steps (a draw apart from what becomes of it)
    waits: bool = False  # left received (or sent back): not adjudicated
    at: dt.datetime | None = None  # the moment of its last step so far

    def __post_init__(self) -> None:
        draw = self.rng.random()
        self.waits = self.scenario in WAITING or (self.scenario == "provider" and draw < 0.2)


class DemoClaims:
    def __init__(self, *, seed: int) -> None:
        self.seed = seed
        self.staff = Staff.load()
        self.lines = _Lines()
        self.snapshot = snapshot_current()
        providers = list(Provider.objects.order_by("inpe"))
        self.providers = {k: [p for p in providers if p.kind == k] for k in ("doctor", "lab", "pharmacy", "clinic")}

    def plan(self, members: list[Member], adherent_id: int | None) -> list[_Job]:
        jobs: list[_Job] = []
        for m in members:
            rng = random.Random(f"{self.seed}:claims:{m.matricule}")
            if m.pk == adherent_id:
                jobs += [
                    _Job(m, rank, scenario, rng, self._when(m, n)) for n, (scenario, rank) in enumerate(ADHERENT_PLAN)
                ]
                continue
            i, roll = int(m.matricule) - FIRST_MATRICULE, rng.random()
            for n in range(0 if roll < 0.12 and i > COVER else 1 if roll < 0.85 else 2):
                scenario = rng.choices(SCENARIOS, weights=WEIGHTS)[0]
                if n == 0 and 0 < i <= COVER:  # even a small demo has every state
                    scenario = SCENARIOS[i % len(SCENARIOS)]
                if scenario == "paid" and not m.rib:
                    scenario = "approved"
                jobs.append(_Job(m, rng.randrange(len(m.beneficiaries.all())), scenario, rng, self._when(m, n)))
        jobs.sort(key=lambda j: j.scenario != "paid")  # the earlier batch pays only these
        return jobs

    def _when(self, member: Member, n: int) -> random.Random:
        return random.Random(f"{self.seed}:claims-clock:{member.matricule}:{n}")

    def step_moment(self, job: _Job, *, after_days: tuple[int, int], limit: dt.date) -> dt.datetime:
        """A moment in office hours `after_days` after the last step, not after `limit`, never before
        the last step."""
        assert job.at is not None
        day = min(job.at.date() + dt.timedelta(days=job.when.randint(*after_days)), limit)
        moment = demo_moment(day, job.when.randint(8, 15), job.when.randrange(0, 60, 5))
        return max(moment, job.at + dt.timedelta(minutes=10))

    def intake(self, job: _Job) -> ClaimFile:
        """The received file, in the morning of its filing day (demo.clock)."""
        rng, scenario = job.rng, job.scenario
        care_kind = rng.choices(CARE_KINDS, weights=CARE_WEIGHTS)[0]
        ago = {"late": (80, 140), "received": (6, 25), "incomplete": (10, 40),
               "returned": (15, 50)}.get(scenario, (12, 110))  # fmt: skip
        care = TODAY - dt.timedelta(days=rng.randint(*ago))
        delay = rng.randint(65, 80) if scenario == "late" else rng.randint(6, 45)  # after a stay's discharge
        filed = min(care + dt.timedelta(days=delay), TODAY)
        if scenario == "paid":  # filed so that the earlier batch pays it some weeks later
            filed = TODAY - dt.timedelta(days=job.when.randint(*PAID_FILED))
            care = filed - dt.timedelta(days=delay)
        job.at = demo_moment(filed, job.when.randint(8, 11), job.when.randrange(0, 60, 5))
        with demo_clock_at(job.at):
            return self._intake(job, care_kind, care, filed)

    def _intake(self, job: _Job, care_kind: str, care: dt.date, filed: dt.date) -> ClaimFile:
        """The received file (by post, at the counter or from a provider), with its prior approvals."""
        rng, scenario, st = job.rng, job.scenario, self.staff
        ben = job.member.beneficiaries.all()[job.rank]
        provider: Provider | None = None
        kw: dict[str, Any] = {}
        if scenario == "review":
            surgery = rng.choice(list(DIAGNOSES))
            approval = None
            if surgery in NEEDS_APPROVAL:
                pa = prior_approval_request(actor=st.reception, beneficiary=ben, kind="act", code=surgery,
                                            justification=NEEDS_APPROVAL[surgery])  # fmt: skip
                approval = prior_approval_decide(
                    actor=st.doctor,
                    approval=pa,
                    grant=True,
                    note="Accord",
                    valid_from=care - dt.timedelta(days=20),
                    valid_to=care + dt.timedelta(days=70),
                    quantity=1,
                    amount=9000,
                ).pk
            lines = self.lines.stay(rng, care, surgery, approval)
            provider, kw["diagnosis"] = rng.choice(self.providers["clinic"]), DIAGNOSES[surgery]
        elif scenario == "provider":
            care_kind = rng.choice(["pharmacy", "pharmacy", "lab"])
            provider = rng.choice(self.providers[PROVIDER_KINDS[care_kind]])
            lines = self.lines.care(rng, care, care_kind)
        else:
            lines = self.lines.care(rng, care, care_kind)
            if care_kind in PROVIDER_KINDS:
                provider = rng.choice(self.providers[PROVIDER_KINDS[care_kind]])
            else:
                kw.update(provider_kind="optician")
        if rng.random() < 0.05 and not job.waits:
            kind, code, why = rng.choice(PENDING_APPROVALS)  # a request the medical controller has to decide
            prior_approval_request(actor=st.reception, beneficiary=ben, kind=kind, code=code, justification=why)
        channel = Channel.PROVIDER if scenario == "provider" else Channel.POST
        if channel == Channel.POST and not job.waits and rng.random() < 0.6:
            channel = Channel.COUNTER
        return claim_create(actor=st.reception, beneficiary=ben, filed_on=filed, channel=channel, lines=lines,
                            provider=provider, **kw)  # fmt: skip

    def finish(self, claim: ClaimFile, job: _Job) -> ClaimFile:
        """Officer's, controller's or reception's decisions after the engine's, each at its moment."""
        st, scenario, rng = self.staff, job.scenario, job.rng
        limit = BATCH_DAY - dt.timedelta(days=1) if scenario == "paid" else TODAY

        def move(*, after_days: tuple[int, int] = (2, 20), **kw: Any) -> ClaimFile:
            job.at = self.step_moment(job, after_days=after_days, limit=limit)
            with demo_clock_at(job.at):
                return claim_transition(**kw)

        if scenario == "cancelled":
            return move(actor=st.officer, claim=claim, to=S.CANCELLED, reason="Dossier déposé deux fois")
        if scenario in ("incomplete", "returned"):
            claim = move(actor=st.officer, claim=claim, to=S.INCOMPLETE, missing=rng.choice(MISSING))
            if scenario == "returned":
                # No typed reason: the state and the missing pieces (a coded checklist) say why, in every language.
                claim = move(actor=st.officer, claim=claim, to=S.RETURNED, after_days=(1, 3))
            return claim
        if claim.status == S.RECEIVED or scenario == "adjudicated":  # a provider's file waiting, or a decision
            return claim
        payable = claim.amo + claim.complementary > 0 and scenario != "late"
        if claim.status == S.MEDICAL_REVIEW:
            if scenario == "review" and rng.random() < 0.6:
                return claim  # waits for the medical controller
            to, reason = (S.APPROVED, "Avis médical favorable") if payable else (S.REJECTED, "Avis défavorable")
            return move(actor=st.doctor, claim=claim, to=to, reason=reason, after_days=(3, 15))
        if payable:
            return move(actor=st.officer, claim=claim, to=S.APPROVED, reason="Conforme")
        reason = "Dépôt hors délai (plus de 60 jours)" if scenario == "late" else "Aucune prestation remboursable"
        return move(actor=st.officer, claim=claim, to=S.REJECTED, reason=reason)

    def run(self, jobs: list[_Job]) -> list[ClaimFile]:
        """Take the files in, let the adjudication job decide those not waiting (each in the evening
        of its filing day, in id order as one run would), then the people decide."""
        claims = [self.intake(job) for job in jobs]
        for claim, job in zip(claims, jobs, strict=True):
            if job.waits:
                continue
            assert job.at is not None
            job.at = max(demo_moment(job.at.date(), 19), job.at + dt.timedelta(minutes=10))
            with demo_clock_at(job.at), transaction.atomic(durable=True):
                adjudicate_received_chunk(actor=None, after_id=claim.pk - 1, size=1, snapshot=self.snapshot)
        fresh = ClaimFile.objects.in_bulk([c.pk for c in claims])
        return [self.finish(fresh[c.pk], job) for c, job in zip(claims, jobs, strict=True)]

    def earlier_batch(self, paid_ids: list[int]) -> None:
        """Pay the "paid" files through a whole batch, unless other approved files would be swept in."""
        kind = BatchKind.MEMBER_TRANSFER
        if not paid_ids or payable_claims(kind).exclude(pk__in=paid_ids).exists():
            return
        st = self.staff
        sent = BATCH_DAY + dt.timedelta(days=1)
        with demo_clock_at(demo_moment(BATCH_DAY, 10)):
            batch = payment_batch_prepare(actor=st.accountant, kind=kind)
        with demo_clock_at(demo_moment(BATCH_DAY, 15)):
            batch = payment_batch_validate(actor=st.accountant2, batch=batch)
        with demo_clock_at(demo_moment(sent, 9)):
            payment_batch_export(actor=st.accountant, batch=batch, fmt="xml")
        with demo_clock_at(demo_moment(sent, 11)):
            batch = payment_batch_confirm(actor=st.accountant2, batch=batch)
        answered = sent + dt.timedelta(days=3)  # the bank's return file, and the day it says they were paid
        data = return_csv_sample(batch, value_date=answered)
        with demo_clock_at(demo_moment(answered, 10)):
            payment_return_import(actor=st.accountant, data=data, file_name=f"retour-{batch.number}.csv")


def provider_accounts_ensure(*, seed: int) -> int:
    """A bank account for every demo clinic, pharmacy, lab and hospital (tiers payant is paid to them)."""
    missing = Provider.objects.exclude(kind="doctor").filter(bank_account__isnull=True).order_by("inpe")
    rows = [ProviderAccount(provider=p, rib=_rib(random.Random(f"{seed}:account:{p.inpe}"))) for p in missing]
    ProviderAccount.objects.bulk_create(rows)
    return len(rows)


def demo_claims_create(*, count: int, seed: int) -> int:
    """Claim files for demo members 0..count-1 that have none yet; returns how many were created."""
    provider_accounts_ensure(seed=seed)
    matricules = [f"{FIRST_MATRICULE + i}" for i in range(count)]
    with_files = ClaimFile.objects.filter(member_id__in=Member.objects.filter(matricule__in=matricules).values("pk"))
    members = list(
        Member.objects.filter(matricule__in=matricules, status__in=[MemberStatus.ACTIVE, MemberStatus.RETIRED])
        .exclude(pk__in=with_files.values("member_id"))
        .prefetch_related("beneficiaries")
        .order_by("matricule")
    )
    if not members:
        return 0
    adherent = Member.objects.filter(user__username="adherent").values_list("pk", flat=True).first()
    # Demo members are not told of their demo files: no notification is queued for the worker.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
                           SMS_BACKEND="demo.claims.SilentSms", CLAIMS_NOTIFY=False):  # fmt: skip
        demo = DemoClaims(seed=seed)
        jobs = demo.plan(members, adherent)
        paid = demo.run([j for j in jobs if j.scenario == "paid"])
        demo.earlier_batch([c.pk for c in paid if c.status == S.APPROVED])
        demo.run([j for j in jobs if j.scenario != "paid" and not j.waits])
        demo.run([j for j in jobs if j.waits])
    return len(jobs)
