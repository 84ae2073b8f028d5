"""Filing: tracking numbers, due dates, who may contest what, attachments, the acknowledgement."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from accounts.roles import Role
from audit.models import AuditEvent
from claims.models import ClaimStatus
from grievances.models import Channel, Grievance, GrievanceAttachment, Kind
from grievances.services import Contested, GrievanceError, grievance_file, tracking_number_next
from grievances.tests.factories import NOW, category, decided_file, member_with_rib
from jobs.models import Job
from members.outbox import NOTIFY
from referentials.models import PublicHoliday

pytestmark = pytest.mark.django_db


def _complaint(actor: Any, member: Any, **kw: Any) -> Grievance:
    return grievance_file(actor=actor, member=member, kind=Kind.COMPLAINT, category=category("delay"),
                          channel=kw.pop("channel", Channel.COUNTER), text="Three months without news.", now=NOW,
                          **kw)  # fmt: skip


def test_it_gives_tracking_numbers_per_kind_and_year(make_user: Any) -> None:
    agent = make_user(Role.RECEPTION)
    member = member_with_rib()
    first, second = _complaint(agent, member), _complaint(agent, member)
    assert (first.number, second.number) == ("RC26-000001", "RC26-000002")
    with transaction.atomic():
        assert tracking_number_next(kind=Kind.APPEAL, on=dt.date(2026, 5, 1)) == "RE26-000001"
        assert tracking_number_next(kind=Kind.COMPLAINT, on=dt.date(2027, 1, 4)) == "RC27-000001"


def test_it_sets_the_due_date_from_the_category(make_user: Any) -> None:
    officer = make_user(Role.CLAIMS_OFFICER)
    member = member_with_rib()
    complaint = _complaint(officer, member)
    # Filed Wednesday 2026-12-02, 5 working days: Wednesday 2026-12-09.
    assert (complaint.filed_on, complaint.due_on) == (dt.date(2026, 12, 2), dt.date(2026, 12, 9))
    line = decided_file(officer=officer, member=member).lines.get(position=1)
    appeal = grievance_file(actor=officer, member=member, kind=Kind.APPEAL, category=category("claim-decision"),
                            channel=Channel.PHONE, text="My dentist asked for the approval.",
                            contested=Contested(claim_line=line), now=NOW)  # fmt: skip
    assert appeal.due_on == dt.date(2027, 1, 1)  # 30 calendar days


def test_it_skips_the_public_holidays_of_the_referentials(make_user: Any) -> None:
    agent = make_user(Role.RECEPTION)
    member = member_with_rib()
    friday = dt.datetime(2027, 1, 8, 9, 0, tzinfo=dt.UTC)
    # Filed Friday 2027-01-08, 5 working days. Monday 11 (independence manifesto) and Thursday 14
    # (Amazigh new year) are holidays of the seeded table: 12, 13, 15, 18, 19 -> Tuesday 2027-01-19.
    complaint = grievance_file(actor=agent, member=member, kind=Kind.COMPLAINT, category=category("delay"),
                               channel=Channel.COUNTER, text="No answer.", now=friday)  # fmt: skip
    assert complaint.due_on == dt.date(2027, 1, 19)
    # An administrator removes the Amazigh new year: a complaint filed after that is due on the 18th.
    PublicHoliday.objects.filter(day=dt.date(2027, 1, 14)).delete()
    later = grievance_file(actor=agent, member=member, kind=Kind.COMPLAINT, category=category("delay"),
                           channel=Channel.COUNTER, text="Still none.", now=friday)  # fmt: skip
    assert (later.due_on, complaint.due_on) == (dt.date(2027, 1, 18), dt.date(2027, 1, 19))


def test_it_queues_the_acknowledgement_in_the_same_transaction(make_user: Any) -> None:
    agent = make_user(Role.RECEPTION)
    member = member_with_rib()
    grievance = _complaint(agent, member)
    job = Job.objects.get(kind=NOTIFY)
    assert job.params == {"event": "grievances.grievance", "items": [[member.pk, {"grievance": str(grievance.pk)}]]}
    assert AuditEvent.objects.filter(object_type="grievances.grievance", action="create").count() == 1
    # Refused inside: neither the row nor its acknowledgement.
    with pytest.raises(GrievanceError):
        grievance_file(actor=agent, member=member, kind=Kind.COMPLAINT, category=category("delay"),
                       channel=Channel.COUNTER, text="   ", now=NOW)  # fmt: skip
    assert Grievance.objects.count() == 1 and Job.objects.get(kind=NOTIFY).params["items"] == job.params["items"]


def test_it_lets_a_member_contest_only_their_own_decisions(make_user: Any) -> None:
    officer = make_user(Role.CLAIMS_OFFICER)
    me = member_with_rib(user=make_user(Role.MEMBER))
    other = member_with_rib(user=make_user(Role.MEMBER))
    their_line = decided_file(officer=officer, member=other).lines.get(position=1)
    with pytest.raises(GrievanceError) as exc:
        grievance_file(actor=me.user, member=me, kind=Kind.APPEAL, category=category("claim-decision"),
                       channel=Channel.PORTAL, text="x", contested=Contested(claim_line=their_line),
                       now=NOW)  # fmt: skip
    assert exc.value.code == "not_yours"
    with pytest.raises(GrievanceError) as exc:  # nor file in another member's name from the portal
        grievance_file(actor=me.user, member=other, kind=Kind.COMPLAINT, category=category("delay"),
                       channel=Channel.PORTAL, text="x", now=NOW)  # fmt: skip
    assert exc.value.code == "forbidden"
    assert not Grievance.objects.exists()


def test_it_refuses_an_appeal_on_an_undecided_file_an_accepted_line_or_twice(make_user: Any) -> None:
    officer = make_user(Role.CLAIMS_OFFICER)
    member = member_with_rib()
    claim = decided_file(officer=officer, member=member)
    # The same care again in another file: the consultation is a duplicate, so the file is adjudicated with
    # nothing to pay and stays undecided (not approved, not rejected).
    pending = decided_file(officer=officer, member=member, approve=False)
    assert pending.status == ClaimStatus.ADJUDICATED
    appeal = {"actor": officer, "member": member, "kind": Kind.APPEAL, "category": category("claim-decision"),
              "channel": Channel.COUNTER, "text": "Please look again.", "now": NOW}  # fmt: skip
    for line, code in ((pending.lines.get(position=1), "not_final"), (claim.lines.get(position=0), "accepted")):
        with pytest.raises(GrievanceError) as exc:
            grievance_file(**appeal, contested=Contested(claim_line=line))
        assert exc.value.code == code
    crown = claim.lines.get(position=1)
    first = grievance_file(**appeal, contested=Contested(claim_line=crown))
    with pytest.raises(GrievanceError) as exc:
        grievance_file(**appeal, contested=Contested(claim_line=crown))
    assert exc.value.code == "duplicate" and first.number in str(exc.value.message)
    with pytest.raises(GrievanceError) as exc:  # an appeal names its decision
        grievance_file(**appeal)
    assert exc.value.code == "decision"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, format="PNG")
    return out.getvalue()


def test_it_keeps_verified_attachments_under_its_own_name(make_user: Any, settings: Any, tmp_path: Any) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    agent = make_user(Role.RECEPTION)
    member = member_with_rib()
    scan = SimpleUploadedFile("../../etc/re\u202ecu.png", _png(), content_type="text/html")
    grievance = _complaint(agent, member, uploads=[scan])
    att = GrievanceAttachment.objects.get(grievance=grievance)
    assert att.content_type == "image/png" and att.display_name == "recu.png"
    assert att.path.startswith(f"grievances/{member.pk}/") and (tmp_path / att.path).read_bytes() == _png()
    fake = SimpleUploadedFile("letter.pdf", b"%PDF-1.4 <html><script>alert(1)</script>", content_type="application/pdf")
    with pytest.raises(GrievanceError) as exc:
        _complaint(agent, member, uploads=[fake])
    assert exc.value.code == "file"
    assert Grievance.objects.count() == 1 and GrievanceAttachment.objects.count() == 1
    assert len(list((tmp_path / "grievances" / str(member.pk)).iterdir())) == 1
