"""Arabic pages: the Moroccan administration's Latin digits and French-style separators (see mutuelle.formats)."""

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\u202f"  # narrow no-break space
NUMBER_GROUPING = 3
