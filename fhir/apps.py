from __future__ import annotations

from pathlib import Path

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FhirConfig(AppConfig):
    name = "fhir"
    # The package has two locations (this app and the fhir.resources library): Django needs one.
    path = str(Path(__file__).resolve().parent)
    verbose_name = _("FHIR R4 facade")
