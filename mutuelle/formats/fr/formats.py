"""French pages: decimal comma, thousands separated by a narrow no-break space (see mutuelle.formats)."""

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\u202f"  # narrow no-break space (espace fine insécable)
NUMBER_GROUPING = 3
