from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from members.rib import RIB_LENGTH, rib_is_valid

RIB_INVALID = _("A RIB has 24 digits and a valid check key; please check the number.")
CIN_INVALID = _("A CIN is one or two letters followed by up to six digits, for example AB123456.")

_CIN = re.compile(r"^[A-Z]{1,2}[0-9]{1,6}$")


def validate_rib(value: str) -> None:
    if value and (len(value) != RIB_LENGTH or not rib_is_valid(value)):
        raise ValidationError(RIB_INVALID, code="rib")


def validate_cin(value: str) -> None:
    if value and not _CIN.match(value):
        raise ValidationError(CIN_INVALID, code="cin")
