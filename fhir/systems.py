"""The identifier and code systems of the FHIR facade (documented in docs/fhir.md).

URIs under the mutual's namespace: they name our own numbering, not a national registry.
"""

from __future__ import annotations

BASE = "https://mutuelle.ma/fhir"
CARD_SYSTEM = f"{BASE}/sid/card-number"  # Patient.identifier and Coverage.identifier: the card number
PAYER_SYSTEM = f"{BASE}/sid/payer"  # the mutual ("MUTUELLE") and the basic-insurance payer (CNOPS, CNSS)
INPE_SYSTEM = f"{BASE}/sid/inpe"  # providers' national identifier (INPE)
REASON_SYSTEM = f"{BASE}/CodeSystem/reason"  # engine reason codes (RIGHTS_SUSPENDED, NOT_COVERED, ...)
LANGUAGE_EXTENSION = "http://hl7.org/fhir/StructureDefinition/language"
MUTUAL_CODE = "MUTUELLE"
FHIR_JSON = "application/fhir+json"
ACT_SYSTEM = f"{BASE}/CodeSystem/act"  # Claim.item.productOrService: our act codes (CONS-G, ...) and key letters
MEDICINE_SYSTEM = f"{BASE}/CodeSystem/medicine"  # Claim.item.productOrService: medicine codes (EAN-13)
ADJUDICATION_SYSTEM = f"{BASE}/CodeSystem/adjudication"  # basis, basic, complementary, remainder
CLAIM_SYSTEM = f"{BASE}/sid/claim-file"  # ClaimResponse.identifier and id: our file number
