"""Bank files, pure Python: ISO 20022 pain.001.001.09 and CSV transfer orders, bank returns.

Nothing here touches the database: plain dataclasses in, bytes out (and the reverse for
returns), so the files can be tested against the real XSD and benchmarked alone.
"""

from __future__ import annotations

from payments.bankfiles.csv_transfer import CSV_COLUMNS, POSTAL_COLUMNS, postal_order_csv, transfer_csv
from payments.bankfiles.pain001 import PAIN001_NAMESPACE, pain001_xml
from payments.bankfiles.returns import ReturnFileError, ReturnLine, ReturnStatus, camt054_parse, return_csv_parse
from payments.bankfiles.types import SEPA_TEXT_MAX, BankFileError, Debtor, Transfer, TransferOrder, checksum_sha256

__all__ = [
    "CSV_COLUMNS",
    "PAIN001_NAMESPACE",
    "POSTAL_COLUMNS",
    "SEPA_TEXT_MAX",
    "BankFileError",
    "Debtor",
    "ReturnFileError",
    "ReturnLine",
    "ReturnStatus",
    "Transfer",
    "TransferOrder",
    "camt054_parse",
    "checksum_sha256",
    "pain001_xml",
    "postal_order_csv",
    "return_csv_parse",
    "transfer_csv",
]
