"""English pages: "83,250.23" (see mutuelle.formats)."""

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
