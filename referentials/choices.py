"""Choices shared by the referential models."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    PUBLIC = "public", _("Public")
    PRIVATE = "private", _("Private")


class Category(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation")
    VISIT = "visit", _("Home visit")
    SURGERY = "surgery", _("Surgery")
    LAB = "lab", _("Laboratory")
    IMAGING = "imaging", _("Imaging")
    DENTAL = "dental", _("Dental care")
    PHYSIOTHERAPY = "physiotherapy", _("Physiotherapy")
    SPEECH_THERAPY = "speech_therapy", _("Speech therapy")
    OPTICS = "optics", _("Optics")
    PROSTHESIS = "prosthesis", _("Prosthesis")
    HOSPITAL_STAY = "hospital_stay", _("Hospital stay")
    DEVICE = "device", _("Medical device")
    OTHER = "other", _("Other")


class RateCategory(models.TextChoices):
    """Categories a rate or a plan row can target: acts, medicines, stays, ALD lines, any."""

    ANY = "*", _("Any category")
    MEDICINE = "medicine", _("Medicines")
    ALD = "ald", _("Long-term illness (ALD) lines")
    STAY = "stay", _("Hospital stay without tariff code")
    CONSULTATION = "consultation", _("Consultation")
    VISIT = "visit", _("Home visit")
    SURGERY = "surgery", _("Surgery")
    LAB = "lab", _("Laboratory")
    IMAGING = "imaging", _("Imaging")
    DENTAL = "dental", _("Dental care")
    PHYSIOTHERAPY = "physiotherapy", _("Physiotherapy")
    SPEECH_THERAPY = "speech_therapy", _("Speech therapy")
    OPTICS = "optics", _("Optics")
    PROSTHESIS = "prosthesis", _("Prosthesis")
    HOSPITAL_STAY = "hospital_stay", _("Hospital stay")
    DEVICE = "device", _("Medical device")
    OTHER = "other", _("Other")


class Setting(models.TextChoices):
    ANY = "*", _("Any setting")
    AMBULATORY = "ambulatory", _("Ambulatory care")
    HOSPITAL_PRIVATE = "hospital_private", _("Private hospital")
    HOSPITAL_PUBLIC = "hospital_public", _("Public hospital")


__all__ = ["Category", "RateCategory", "Sector", "Setting"]
