"""French pages: decimal comma, thousands separated by a narrow no-break space (see mutuelle.formats)."""

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\u202f"  # narrow no-break space (espace fine insécable)
NUMBER_GROUPING = 3
# Short dates as on every staff page: ISO, unambiguous in both scripts (the portal used the locale default).
SHORT_DATE_FORMAT = "Y-m-d"
