"""English pages: "83,250.23" (see mutuelle.formats)."""

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
# Short dates as on every staff page: ISO, unambiguous in both scripts (the portal used the locale default).
SHORT_DATE_FORMAT = "Y-m-d"
