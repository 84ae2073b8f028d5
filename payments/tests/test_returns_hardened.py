"""A camt.054 with a DOCTYPE is refused whatever its encoding or layout, and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from payments.bankfiles import ReturnFileError, ReturnStatus, camt054_parse
from payments.bankfiles.returns import MSG_DTD
from payments.models import BatchKind, Payment, PaymentState, ReturnImport
from payments.services import (
    PaymentError,
    payment_batch_export,
    payment_batch_prepare,
    payment_batch_validate,
    payment_return_import,
)
from payments.tests.factories import claim_make, member_make

DECL = '<?xml version="1.0" encoding="{encoding}"?>'
NS = "urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"


def _document(ref: str) -> str:
    """A booked debit of 10.00 for `ref` (an entity reference when it starts with "&")."""
    return (
        f'<Document xmlns="{NS}"><BkToCstmrDbtCdtNtfctn><Ntfctn><Ntry><Amt Ccy="MAD">10.00</Amt>'
        "<CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><NtryDtls><TxDtls>"
        f'<Refs><EndToEndId>{ref}</EndToEndId></Refs><Amt Ccy="MAD">10.00</Amt>'
        "</TxDtls></NtryDtls></Ntry></Ntfctn></BkToCstmrDbtCdtNtfctn></Document>"
    )


def _entity(ref: str) -> str:
    return f'<!DOCTYPE Document [<!ENTITY ref "{ref}">]>'


COMMENT = "<!--" + "x" * 8000 + "-->"  # pushes what follows past the first 4 KiB
EXTERNAL = '<!DOCTYPE Document SYSTEM "http://bank.example/x.dtd">'
UTF8_BOM = b"\xef\xbb\xbf"


def _utf16(ref: str, codec: str) -> bytes:
    return (DECL.format(encoding="UTF-16") + _entity(ref) + _document("&ref;")).encode(codec)


def _utf8(ref: str, *, bom: bool = False, comment: str = "", doctype: str = "", body: str = "") -> bytes:
    text = DECL.format(encoding="UTF-8") + comment + doctype + (body or _document(ref))
    return (UTF8_BOM if bom else b"") + text.encode()


# Each way round the old filter (a byte search for "<!DOCTYPE" in the first 4 KiB and for "<!ENTITY").
HOSTILE: dict[str, Callable[[str], bytes]] = {
    "utf16le-no-bom": lambda ref: _utf16(ref, "utf-16-le"),
    "utf16be-no-bom": lambda ref: _utf16(ref, "utf-16-be"),
    "utf8-bom": lambda ref: _utf8(ref, bom=True, doctype=_entity(ref), body=_document("&ref;")),
    "doctype-after-long-comment": lambda ref: _utf8(ref, comment=COMMENT, doctype=EXTERNAL),
    "bom-long-comment-external-dtd": lambda ref: _utf8(ref, bom=True, comment=COMMENT, doctype=EXTERNAL),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_it_refuses_a_doctype_whatever_its_disguise(name: str) -> None:
    with pytest.raises(ReturnFileError) as exc:
        camt054_parse(HOSTILE[name]("PB1-0000001"))
    assert [(e.field, e.message) for e in exc.value.errors] == [("file", MSG_DTD)]


@pytest.mark.parametrize(
    "data",
    [
        (DECL.format(encoding="UTF-16") + _document("PB1-0000001")).encode("utf-16-le"),
        (DECL.format(encoding="UTF-16") + _document("PB1-0000001")).encode("utf-16"),  # with its BOM
        _utf8("PB1-0000001", bom=True, comment=COMMENT),
    ],
    ids=["utf16-no-bom", "utf16-bom", "utf8-bom-long-comment"],
)  # fmt: skip
def test_it_still_reads_a_clean_camt054_in_any_encoding(data: bytes) -> None:
    assert [(x.end_to_end_id, x.status) for x in camt054_parse(data)] == [("PB1-0000001", ReturnStatus.PAID)]


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_it_imports_nothing_from_a_file_with_a_doctype(accountants: tuple[Any, Any], name: str) -> None:
    preparer, validator = accountants
    claim_make(member_make(), amo="10.00", complementary="0.00")
    batch = payment_batch_prepare(actor=preparer, kind=BatchKind.MEMBER_TRANSFER)
    payment_batch_validate(actor=validator, batch=batch)
    payment_batch_export(actor=preparer, batch=batch)
    payment: Payment = batch.payments.get()
    with pytest.raises(PaymentError) as exc:
        payment_return_import(actor=accountants[0], data=HOSTILE[name](payment.end_to_end_id), file_name="camt.xml")
    assert exc.value.code == "invalid"
    assert [e.message for e in exc.value.details] == [MSG_DTD]
    payment.refresh_from_db()
    assert payment.state == PaymentState.EXPORTED and not ReturnImport.objects.exists()
