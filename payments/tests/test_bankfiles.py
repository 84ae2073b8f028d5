from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
import sepaxml
import xmlschema
from hypothesis import given, settings
from hypothesis import strategies as st

from members.rib import iban_from_rib, rib_key
from payments.bankfiles import (
    PAIN001_NAMESPACE,
    BankFileError,
    Debtor,
    Transfer,
    TransferOrder,
    checksum_sha256,
    pain001_xml,
    transfer_csv,
)

NS = {"p": PAIN001_NAMESPACE}
TZ = dt.timezone(dt.timedelta(hours=1))


@cache
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.09.xsd"))


def rib(n: int) -> str:
    first22 = f"011780{n:016d}"
    return first22 + rib_key(first22)


def order(amounts: list[Decimal], **kwargs: object) -> TransferOrder:
    transfers = tuple(
        Transfer(
            end_to_end_id=f"PB000001-{i:07d}",
            amount=amount,
            creditor_name=f"Alaoui Fatima Zahra {i} & fils <test>",
            creditor_iban=iban_from_rib(rib(i)),
            remittance=f"Dossiers RC{i:08d}",
        )
        for i, amount in enumerate(amounts, start=1)
    )
    fields: dict[str, object] = {
        "message_id": "PB000001",
        "created_at": dt.datetime(2025, 3, 14, 9, 30, 12, 123456, tzinfo=TZ),
        "execution_date": dt.date(2025, 3, 17),
        "debtor": Debtor(name="Mutuelle Générale", iban=iban_from_rib(rib(999)), bic="BCMAMAMC"),
        "transfers": transfers,
    }
    fields.update(kwargs)
    return TransferOrder(**fields)  # type: ignore[arg-type]


def test_it_writes_a_schema_valid_pain001_with_hand_worked_totals() -> None:
    data = pain001_xml(order([Decimal("100.10"), Decimal("0.01"), Decimal("1234.56")]))
    schema().validate(data.decode())
    root = ET.fromstring(data)  # noqa: S314
    assert root.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", namespaces=NS) == "3"
    # 100.10 + 0.01 + 1234.56 = 1334.67
    assert root.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", namespaces=NS) == "1334.67"
    assert root.findtext("p:CstmrCdtTrfInitn/p:PmtInf/p:CtrlSum", namespaces=NS) == "1334.67"
    assert root.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CreDtTm", namespaces=NS) == "2025-03-14T09:30:12+01:00"
    assert len(root.findall("p:CstmrCdtTrfInitn/p:PmtInf", namespaces=NS)) == 1
    tx = root.findall(".//p:CdtTrfTxInf", namespaces=NS)
    assert [t.findtext("p:PmtId/p:EndToEndId", namespaces=NS) for t in tx] == [
        "PB000001-0000001",
        "PB000001-0000002",
        "PB000001-0000003",
    ]
    amt = tx[1].find("p:Amt/p:InstdAmt", namespaces=NS)
    assert amt is not None and amt.get("Ccy") == "MAD" and amt.text == "0.01"
    assert tx[0].findtext("p:Cdtr/p:Nm", namespaces=NS) == "Alaoui Fatima Zahra 1 & fils <test>"
    assert tx[0].findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) == iban_from_rib(rib(1))
    assert tx[2].findtext("p:RmtInf/p:Ustrd", namespaces=NS) == "Dossiers RC00000003"


def test_it_gives_the_same_bytes_twice() -> None:
    amounts = [Decimal("10.00"), Decimal("20.50")]
    first, second = pain001_xml(order(amounts)), pain001_xml(order(amounts))
    assert first == second
    assert checksum_sha256(first) == checksum_sha256(second)
    assert len(checksum_sha256(first)) == 64
    assert transfer_csv(order(amounts)) == transfer_csv(order(amounts))


def test_it_validates_without_a_bic() -> None:
    data = pain001_xml(order([Decimal("5.00")], debtor=Debtor(name="M", iban=iban_from_rib(rib(7)))))
    schema().validate(data.decode())


amounts_strategy = st.lists(
    st.integers(min_value=1, max_value=10_000_000).map(lambda c: Decimal(c) / 100), min_size=1, max_size=40
)


@settings(max_examples=40, deadline=None)
@given(amounts_strategy)
def test_it_has_control_sum_and_count_equal_to_the_payments(amounts: list[Decimal]) -> None:
    data = pain001_xml(order(amounts))
    root = ET.fromstring(data)  # noqa: S314
    listed = [Decimal(e.text or "") for e in root.iterfind(".//p:InstdAmt", namespaces=NS)]
    assert listed == amounts
    header = root.find("p:CstmrCdtTrfInitn/p:GrpHdr", namespaces=NS)
    assert header is not None
    assert int(header.findtext("p:NbOfTxs", namespaces=NS) or "") == len(amounts)
    assert Decimal(header.findtext("p:CtrlSum", namespaces=NS) or "") == sum(amounts)
    schema().validate(data.decode())


@pytest.mark.parametrize("amount", [Decimal("0.00"), Decimal("-1.00"), Decimal("1.005"), Decimal("NaN"), 1.5])
def test_it_refuses_inexact_or_non_positive_amounts(amount: object) -> None:
    with pytest.raises(BankFileError):
        pain001_xml(order([amount]))  # type: ignore[list-item]


def test_it_refuses_duplicate_references_and_bad_ibans() -> None:
    good = order([Decimal("1.00")])
    twice = TransferOrder(
        message_id="PB1",
        created_at=good.created_at,
        execution_date=good.execution_date,
        debtor=good.debtor,
        transfers=(good.transfers[0], good.transfers[0]),
    )
    with pytest.raises(BankFileError, match="twice"):
        pain001_xml(twice)
    bad_iban = Transfer(end_to_end_id="X1", amount=Decimal("1.00"), creditor_name="A", creditor_iban="123")
    with pytest.raises(BankFileError, match="IBAN"):
        pain001_xml(order([], transfers=(bad_iban,)))
    with pytest.raises(BankFileError, match="aware"):
        pain001_xml(order([Decimal("1.00")], created_at=dt.datetime(2025, 1, 1)))


def test_it_writes_the_documented_csv_layout() -> None:
    data = transfer_csv(order([Decimal("100.10"), Decimal("0.90")]))
    lines = data.decode().split("\r\n")
    assert lines[0] == (
        "end_to_end_id;execution_date;debtor_iban;creditor_name;creditor_rib;creditor_iban;amount;currency;remittance"
    )
    fields = lines[1].split(";")
    assert fields[0] == "PB000001-0000001"
    assert fields[1] == "2025-03-17"
    assert fields[4] == rib(1) and fields[5] == iban_from_rib(rib(1))
    assert fields[6:8] == ["100.10", "MAD"]
    assert lines[3] == "TOTAL;2;;;;;101.00;MAD;PB000001"
    assert lines[4] == ""


def test_it_cuts_names_and_remittances_at_the_one_sepa_text_limit_the_models_also_hold() -> None:
    from payments.bankfiles import SEPA_TEXT_MAX, postal_order_csv
    from payments.models import Payment, PaymentBatch

    long_name, long_text = "N" * (SEPA_TEXT_MAX + 20), "R" * (SEPA_TEXT_MAX + 20)
    base = order([Decimal("10.00")])
    transfer = Transfer(
        end_to_end_id="PB000001-0000001",
        amount=Decimal("10.00"),
        creditor_name=long_name,
        creditor_iban=iban_from_rib(rib(1)),
        remittance=long_text,
    )
    long_order = TransferOrder(
        message_id=base.message_id,
        created_at=base.created_at,
        execution_date=base.execution_date,
        debtor=base.debtor,
        transfers=(transfer,),
    )
    tree = ET.fromstring(pain001_xml(long_order))  # noqa: S314 (our own output)
    assert tree.findtext(".//p:Cdtr/p:Nm", namespaces=NS) == "N" * SEPA_TEXT_MAX
    assert tree.findtext(".//p:Ustrd", namespaces=NS) == "R" * SEPA_TEXT_MAX
    csv_text = transfer_csv(long_order).decode("utf-8")
    assert "N" * SEPA_TEXT_MAX in csv_text and "N" * (SEPA_TEXT_MAX + 1) not in csv_text
    assert "R" * SEPA_TEXT_MAX in csv_text and "R" * (SEPA_TEXT_MAX + 1) not in csv_text
    postal = postal_order_csv([("E1", long_name, "100001", "Rabat", Decimal("1.00"), "x")], message_id="PB1")
    assert "N" * SEPA_TEXT_MAX in postal.decode() and "N" * (SEPA_TEXT_MAX + 1) not in postal.decode()
    fields = [PaymentBatch._meta.get_field("debtor_name"), *map(Payment._meta.get_field, ("payee_name", "remittance"))]
    lengths = {f.max_length for f in fields}
    assert lengths == {SEPA_TEXT_MAX} == {140}
