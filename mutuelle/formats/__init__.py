"""The project's number formats per language (settings.FORMAT_MODULE_PATH), over Django's own.

Amounts are written the way a Moroccan administration writes them, in French and in Arabic alike:
Latin (Western) digits, a decimal comma and groups of three separated by a narrow no-break space
(U+202F), "83 250,23". Django's Arabic defaults ("." between thousands, "," for decimals) read as
83.250,23, which a Moroccan reader takes for eighty-three point twenty-five; its French default is
a full no-break space. U+202F is the French typographic thousands space (espace fine insécable), the
one CLDR and browsers' Intl.NumberFormat use for fr, so that a number never breaks across two lines
and reads as one word; being a common separator in the bidi algorithm, it keeps the digits of an
amount together on a right-to-left page. English keeps "83,250.23".

Only the number separators are set here: dates and input formats stay Django's per language.
"""
