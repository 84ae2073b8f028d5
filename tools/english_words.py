"""Regenerate mutuelle/tests/english_words.txt, the walk's list of common English words.

wordfreq is not a dependency of the project: run this in a scratch virtualenv
(`python3 -m venv /tmp/wf && /tmp/wf/bin/pip install wordfreq==3.1.1 && /tmp/wf/bin/python tools/english_words.py`).
"""

from __future__ import annotations

import re
from pathlib import Path

import wordfreq  # type: ignore[import-not-found]

N = 6000  # the most frequent English words kept before the French ones are taken out
HEADER = """# Common English words the walk (test_walk_browser.py) refuses on a French or Arabic page.
# Source: wordfreq 3.1.1 (PyPI, Robyn Speer, data CC BY-SA 4.0): top_n_list('en', 12000), lowercase
# a-z words of 3+ letters, the first 6000; minus every word whose French zipf frequency is within 1.5
# of its English one (wordfreq.zipf_frequency(w,'fr') >= zipf_frequency(w,'en') - 1.5: French writes it
# too, e.g. date, notes, document, total, type, page, service, message, file, centre, report, email).
# Regenerate: tools/english_words.py (needs wordfreq in a scratch venv). One word a line.
"""


def main() -> None:
    english = [w for w in wordfreq.top_n_list("en", N * 2) if re.fullmatch(r"[a-z]{3,}", w)][:N]
    # A word French writes nearly as often as English (1.5 zipf is about 30 times rarer) is French too.
    kept = sorted(w for w in english if wordfreq.zipf_frequency(w, "fr") < wordfreq.zipf_frequency(w, "en") - 1.5)
    out = Path(__file__).resolve().parent.parent / "mutuelle" / "tests" / "english_words.txt"
    out.write_text(HEADER + "\n".join(kept) + "\n", encoding="utf-8")
    print(f"{len(kept)} words written to {out}")


if __name__ == "__main__":
    main()
