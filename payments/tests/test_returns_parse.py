from __future__ import annotations

from decimal import Decimal

import pytest

from payments.bankfiles import ReturnFileError, ReturnStatus, camt054_parse, return_csv_parse

CAMT = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">
 <BkToCstmrDbtCdtNtfctn>
  <GrpHdr><MsgId>N1</MsgId><CreDtTm>2025-03-18T08:00:00+01:00</CreDtTm></GrpHdr>
  <Ntfctn>
   <Id>N1-1</Id>
   <Ntry>
    <Amt Ccy="MAD">150.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
    <NtryDtls>
     <TxDtls><Refs><EndToEndId>PB1-0000001</EndToEndId></Refs><Amt Ccy="MAD">100.00</Amt></TxDtls>
     <TxDtls><Refs><EndToEndId>PB1-0000002</EndToEndId></Refs><Amt Ccy="MAD">50.00</Amt></TxDtls>
    </NtryDtls>
   </Ntry>
   <Ntry>
    <Amt Ccy="MAD">20.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
    <NtryDtls>
     <TxDtls><Refs><EndToEndId>PB1-0000003</EndToEndId></Refs><Amt Ccy="MAD">20.00</Amt>
      <RtrInf><Rsn><Cd>AC04</Cd></Rsn></RtrInf></TxDtls>
    </NtryDtls>
   </Ntry>
   <Ntry>
    <Amt Ccy="MAD">9.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>PDNG</Cd></Sts>
    <NtryDtls><TxDtls><Refs><EndToEndId>PB1-0000004</EndToEndId></Refs></TxDtls></NtryDtls>
   </Ntry>
  </Ntfctn>
 </BkToCstmrDbtCdtNtfctn>
</Document>
"""


def test_it_reads_paid_and_returned_transfers_from_camt054() -> None:
    lines = camt054_parse(CAMT.encode())
    assert [(x.end_to_end_id, x.status, x.reason_code, x.amount) for x in lines] == [
        ("PB1-0000001", ReturnStatus.PAID, "", Decimal("100.00")),
        ("PB1-0000002", ReturnStatus.PAID, "", Decimal("50.00")),
        ("PB1-0000003", ReturnStatus.REJECTED, "AC04", Decimal("20.00")),
    ]


def test_it_reads_an_older_camt054_with_a_plain_status() -> None:
    old = CAMT.replace("camt.054.001.08", "camt.054.001.02").replace("<Sts><Cd>BOOK</Cd></Sts>", "<Sts>BOOK</Sts>")
    assert len(camt054_parse(old.encode())) == 3


@pytest.mark.parametrize(
    "data",
    [
        b"<not-xml",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><Document/>',
        b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"/>',
        CAMT.replace("<EndToEndId>PB1-0000002</EndToEndId>", "").encode(),
    ],
)
def test_it_refuses_bad_camt_files(data: bytes) -> None:
    with pytest.raises(ReturnFileError) as exc:
        camt054_parse(data)
    assert exc.value.errors


def test_it_reads_the_csv_return() -> None:
    data = (
        "\ufeffend_to_end_id;status;reason_code;amount;value_date\r\n"
        "PB1-0000001;PAID;;100.00;2025-03-18\r\n"
        "PB1-0000002;rjct;ac01;50.00;\r\n"
        "\r\n"
    ).encode()
    lines = return_csv_parse(data)
    assert [(x.line, x.end_to_end_id, x.status, x.reason_code) for x in lines] == [
        (2, "PB1-0000001", ReturnStatus.PAID, ""),
        (3, "PB1-0000002", ReturnStatus.REJECTED, "AC01"),
    ]
    assert lines[0].amount == Decimal("100.00")


def test_it_reports_every_bad_csv_row_with_line_and_field() -> None:
    data = (
        b"end_to_end_id;status;reason_code;amount\n"
        b"PB1-1;PAID;;100.00\n"
        b"PB1-2;REJECTED;;5.00\n"
        b"PB1-3;MAYBE;;5.00\n"
        b"PB1-1;PAID;;1.001\n"
    )
    with pytest.raises(ReturnFileError) as exc:
        return_csv_parse(data)
    found = [(e.line, e.field) for e in exc.value.errors]
    assert found == [(3, "reason_code"), (4, "status"), (5, "end_to_end_id"), (5, "amount")]


def test_it_refuses_a_csv_without_the_needed_columns() -> None:
    with pytest.raises(ReturnFileError) as exc:
        return_csv_parse(b"ref;status\nA;PAID\n")
    assert {e.field for e in exc.value.errors} == {"end_to_end_id", "reason_code"}
    with pytest.raises(ReturnFileError):
        return_csv_parse(b"\xff\xfe")
