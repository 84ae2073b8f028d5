"""ISO 20022 pain.001.001.09 (customer credit transfer initiation), written deterministically.

The text is assembled directly (escaped) rather than through a DOM: a batch of 100,000
payments is written in well under a second and the same order always gives the same bytes.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from payments.bankfiles.types import SEPA_TEXT_MAX, TransferOrder, clean_text

PAIN001_NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"
CURRENCY = "MAD"


def _t(value: str, max_length: int = SEPA_TEXT_MAX) -> str:
    return escape(clean_text(value, max_length))


def _agent(bic: str) -> str:
    if bic:
        return f"<FinInstnId><BICFI>{escape(bic)}</BICFI></FinInstnId>"
    # No BIC known: the schema allows an "unknown" other identification.
    return "<FinInstnId><Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId>"


def pain001_xml(order: TransferOrder) -> bytes:
    """The pain.001.001.09 document for `order`, UTF-8 bytes. Raises BankFileError on bad input."""
    order.validate()
    created = order.created_at.replace(microsecond=0).isoformat()
    total = f"{order.control_sum:.2f}"
    debtor = order.debtor
    parts: list[str] = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<Document xmlns="{PAIN001_NAMESPACE}"><CstmrCdtTrfInitn>',
        "<GrpHdr>",
        f"<MsgId>{escape(order.message_id)}</MsgId>",
        f"<CreDtTm>{created}</CreDtTm>",
        f"<NbOfTxs>{order.count}</NbOfTxs>",
        f"<CtrlSum>{total}</CtrlSum>",
        f"<InitgPty><Nm>{_t(debtor.name)}</Nm></InitgPty>",
        "</GrpHdr>",
        "<PmtInf>",
        f"<PmtInfId>{escape(order.message_id)}</PmtInfId>",
        "<PmtMtd>TRF</PmtMtd>",
        "<BtchBookg>true</BtchBookg>",
        f"<NbOfTxs>{order.count}</NbOfTxs>",
        f"<CtrlSum>{total}</CtrlSum>",
        f"<ReqdExctnDt><Dt>{order.execution_date.isoformat()}</Dt></ReqdExctnDt>",
        f"<Dbtr><Nm>{_t(debtor.name)}</Nm></Dbtr>",
        f"<DbtrAcct><Id><IBAN>{escape(debtor.iban)}</IBAN></Id></DbtrAcct>",
        f"<DbtrAgt>{_agent(debtor.bic)}</DbtrAgt>",
        "<ChrgBr>SLEV</ChrgBr>",
    ]
    append = parts.append
    for tr in order.transfers:
        append(
            "<CdtTrfTxInf>"
            f"<PmtId><EndToEndId>{escape(tr.end_to_end_id)}</EndToEndId></PmtId>"
            f'<Amt><InstdAmt Ccy="{CURRENCY}">{tr.amount:.2f}</InstdAmt></Amt>'
            f"<Cdtr><Nm>{_t(tr.creditor_name)}</Nm></Cdtr>"
            f"<CdtrAcct><Id><IBAN>{escape(tr.creditor_iban)}</IBAN></Id></CdtrAcct>"
        )
        if tr.remittance:
            append(f"<RmtInf><Ustrd>{_t(tr.remittance)}</Ustrd></RmtInf>")
        append("</CdtTrfTxInf>")
    parts.append("</PmtInf></CstmrCdtTrfInitn></Document>\n")
    return "".join(parts).encode("utf-8")
