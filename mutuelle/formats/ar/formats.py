"""Arabic pages: the Moroccan administration's Latin digits and French-style separators (see mutuelle.formats)."""

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\u202f"  # narrow no-break space
NUMBER_GROUPING = 3
# Short dates as on every staff page: ISO, unambiguous in both scripts (the portal used the locale default).
SHORT_DATE_FORMAT = "Y-m-d"
