"""The member search's tolerant tier: names close to the query when no name starts with it.

Only used by `members.selectors.member_lookup` after the exact numbers and the word prefixes found
nobody. The rule, per folded query word (`members.normalize.search_fold`):

- a word with a digit is never tolerated: a number is exact or nothing (a mistyped card number
  must not bring up someone else's file), so a query with a digit has no tolerant tier at all;
- a word of fewer than `MIN_TOLERANT_LETTERS` letters must still start a word of the names (three
  letters are too few to tell a typo from another name);
- a longer word starts a word of the names, or is *close* to one (Arabic words also with the
  article added or taken away, as the prefix rule does: عمرني is close to العمراني).

Every word of the query must hold for the same beneficiary, as in the prefix search. What *close*
means depends on the database, each rule with its index or its bounded candidate set:

- PostgreSQL: pg_trgm's strict word similarity of the word to a stored name word is at least 0.5
  (`word %>> spelling`, `pg_trgm.strict_word_similarity_threshold`, whose default is 0.5). It is
  looked up in the table of distinct name words (`members_nameword`, migration 0007, with its GIN
  trigram index): the fifty closest words each query word starts or is close to, then the
  beneficiaries bearing one of them as a whole word (`search_text LIKE '% filali %'`, the trigram
  index of the search text), scored by the words' similarities. Scoring every beneficiary that
  shares trigrams with the query instead took 100 ms for *Filaly* and 930 ms for *فاطمة الوزني* at
  200,000 members (now 22 and 11 ms). Worked examples (the tests hold
  them): Bennanni → Bennani 0.70, Benani 0.67, Filaly → Filali 0.56, Mohamed → Mohammed 0.70, Idrisi
  → Idrissi 0.67, الفلالي → الفيلالي 0.55, العمرني → العمراني 0.55 match; Bennis → Bennani 0.36,
  Mohamed → Ahmed 0.17, العلوي → العمراني 0.23, Skalli → Sqalli 0.40 do not. The plain word
  similarity (`%>`, 0.6) was rejected: it lets a query word match the middle of a longer stored
  word (Bennis → Bennani 0.57 at a 0.5 threshold, Drissi → Idrissi 0.71) and misses الفلالي (0.55).
- SQLite (the demo): an edit distance (Levenshtein) of at most 1 to a word of the names, 2 for words
  of 8 letters or more, computed in Python over the beneficiaries that share with every query word
  its first letter at a word start or one of its 3-letter chunks — a superset of the words within
  that distance — at most `SQLITE_CANDIDATES` of them (the demo's registry is far smaller). It
  accepts a few that trigrams refuse (Tezi → Tazi, Skalli → Sqalli: one letter in a short word).

Ordering: most similar first (PostgreSQL: the sum over the query words of their best similarity;
SQLite: the smallest total edit distance), then the oldest file; at most `TOLERANT_MEMBERS` members.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Case, FloatField, Max, Q, QuerySet, Value, When

from members.models import Beneficiary

MIN_TOLERANT_LETTERS = 4
TOLERANT_MEMBERS = 100
# Stored words kept per query word, the closest first: a four-letter start may begin hundreds at
# national scale, and members found through the 51st closest word would rank last anyway.
TOLERANT_WORDS = 50
SQLITE_CANDIDATES = 5000
ARTICLE = "ال"  # the Arabic article, also in the prefix rule (members.selectors)


def is_arabic(word: str) -> bool:
    return "\u0621" <= word[0] <= "\u064a"


def without_article(word: str) -> str:
    """The word with a leading Arabic article taken away (a word of more than three letters)."""
    return word[2:] if word.startswith(ARTICLE) and len(word) > 3 else word


def spellings(word: str) -> list[str]:
    """The word and, for an Arabic word, the same with the article taken away or added."""
    bare = without_article(word)
    if bare != word:
        return [word, bare]
    if is_arabic(word):
        return [word, ARTICLE + word]
    return [word]


def tolerable(words: list[str]) -> bool:
    """Whether the query may have a tolerant tier: names only, one word long enough to tolerate."""
    return (
        bool(words)
        and not any(ch.isdigit() for w in words for ch in w)
        and any(len(w) >= MIN_TOLERANT_LETTERS for w in words)
    )


def allowed_distance(word: str) -> int:
    """SQLite's rule: one edit in a word, two in a long one (8 letters or more)."""
    return 2 if len(word) >= 8 else 1


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of a and b, or limit + 1 as soon as it is known to exceed limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def word_distance(word: str, names: list[str]) -> int | None:
    """0 when `word` (in any of its spellings) starts a word of `names`, else its smallest edit
    distance to one within the allowed distance, else None."""
    best: int | None = None
    for spelling in spellings(word):
        if any(name.startswith(spelling) for name in names):
            return 0
        if len(word) < MIN_TOLERANT_LETTERS:
            continue
        limit = allowed_distance(spelling)
        for name in names:
            d = edit_distance(spelling, name, limit)
            if d <= limit and (best is None or d < best):
                best = d
    return best


def tolerant_member_ids(words: list[str], *, prefix: Callable[[str], Q], scope: QuerySet | None) -> list[int]:
    """Ids of the members with a beneficiary close to every word, most similar first.

    `prefix` is the prefix search's per-word condition; `scope`, when the caller's visible set is
    not every member, the members' ids the candidates are restricted to."""
    candidates = Beneficiary.objects.all()
    if scope is not None:
        candidates = candidates.filter(member_id__in=scope)
    if connection.vendor == "postgresql":
        return _trigram_ids(words, prefix, candidates)
    return _edit_distance_ids(words, prefix, candidates)


def _trigram_ids(words: list[str], prefix: Callable[[str], Q], candidates: QuerySet[Beneficiary]) -> list[int]:
    near = _close_words(words)
    scores: list[Any] = []
    for i, word in enumerate(words):
        # A long word's stored words include those it starts (the closest fifty): a whole-word
        # match is a narrower index lookup than the word's prefix, which may begin many names.
        condition = prefix(word) if len(word) < MIN_TOLERANT_LETTERS else Q(pk__in=[])
        for stored in near.get(i, []):
            condition |= Q(search_text__contains=f" {stored.word} ")
        candidates = candidates.filter(condition)
        if near.get(i):
            whens = [When(search_text__contains=f" {stored.word} ", then=Value(stored.score)) for stored in near[i]]
            scores.append(Case(*whens, default=Value(0.0), output_field=FloatField()))
    score: Any = Value(0.0, output_field=FloatField())
    for more in scores:
        score = score + more
    rows = (
        candidates.order_by()
        .values("member_id")
        .annotate(best=Max(score))
        .order_by("-best", "member_id")
        .values_list("member_id", flat=True)[:TOLERANT_MEMBERS]
    )
    return list(rows)


class CloseWord(NamedTuple):
    word: str
    score: float  # pg_trgm's strict word similarity of the query word (best spelling) to it


def _close_words(words: list[str]) -> dict[int, list[CloseWord]]:
    """For each query word of MIN_TOLERANT_LETTERS or more (by its index), the stored name words it
    starts or is close to, most similar first, at most TOLERANT_WORDS: one query on the distinct
    words (members_nameword, migration 0007), whatever the number of beneficiaries."""
    parts: list[str] = []
    params: list[Any] = []
    for i, word in enumerate(words):
        if len(word) < MIN_TOLERANT_LETTERS:
            continue  # only its prefix rule, on the beneficiaries themselves
        for spelling in spellings(word):
            pattern = spelling.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            parts.append(
                "SELECT %s AS i, word, strict_word_similarity(%s, word) AS s FROM members_nameword "
                "WHERE word %%>> %s OR word LIKE %s"
            )
            params += [i, spelling, spelling, pattern]
    if not parts:
        return {}
    # Only constant SQL is joined here; every word is a parameter.
    sql = (
        "SELECT i, word, s FROM (SELECT i, word, max(s) AS s, row_number() OVER "  # noqa: S608
        "(PARTITION BY i ORDER BY max(s) DESC, word) AS r FROM (" + " UNION ALL ".join(parts) + ") AS u "
        "GROUP BY i, word) AS ranked WHERE r <= %s ORDER BY i, s DESC, word"
    )
    found: dict[int, list[CloseWord]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, TOLERANT_WORDS])
        for i, word, score in cursor.fetchall():
            found.setdefault(i, []).append(CloseWord(word, float(score)))
    return found


def _edit_distance_ids(words: list[str], prefix: Callable[[str], Q], candidates: QuerySet[Beneficiary]) -> list[int]:
    for word in words:
        condition = prefix(word)
        if len(word) >= MIN_TOLERANT_LETTERS:
            for spelling in spellings(word):
                condition |= Q(search_text__contains=f" {spelling[0]}")
                for i in range(len(spelling) - 2):
                    condition |= Q(search_text__contains=spelling[i : i + 3])
        candidates = candidates.filter(condition)
    best: dict[int, int] = {}
    rows = candidates.order_by().values_list("member_id", "search_text")[:SQLITE_CANDIDATES]
    for member_id, text in rows:
        names = text.split()
        total = 0
        for word in words:
            d = word_distance(word, names)
            if d is None:
                break
            total += d
        else:
            if member_id not in best or total < best[member_id]:
                best[member_id] = total
    ranked = sorted(best, key=lambda member_id: (best[member_id], member_id))
    return ranked[:TOLERANT_MEMBERS]
