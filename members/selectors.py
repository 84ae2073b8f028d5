"""Reads on the member registry, scoped to the user asking, and the one eligibility selector."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import get_language

from engine import Eligibility, Params, eligibility_check, reason_label
from members import search
from members.eligibility import BeneficiaryCover
from members.models import Beneficiary, Member, MemberStatusChange, Relation
from members.normalize import card_number_normalise, search_fold
from referentials.selectors import referential_snapshot

__all__ = [
    "MemberSearch",
    "age_on",
    "beneficiaries_named",
    "beneficiary_eligibility",
    "eligibility_reason_label",
    "member_get",
    "member_lookup",
    "member_status_on",
    "members_visible",
]


def members_visible(*, user: Any) -> QuerySet[Member]:
    """Staff with members.view_member see every member; a member user sees their own file only."""
    if user.has_perm("members.view_member"):
        return Member.objects.all()
    if getattr(user, "is_authenticated", False):
        return Member.objects.filter(user=user)
    return Member.objects.none()


def _list_related(members: QuerySet[Member]) -> QuerySet[Member]:
    holders = Beneficiary.objects.filter(relation=Relation.SELF)
    return members.select_related("administration").prefetch_related(
        Prefetch("beneficiaries", queryset=holders, to_attr="holders")
    )


@dataclass(frozen=True)
class MemberSearch:
    """A search's members and how they were found: `tolerant` when no number and no name prefix
    matched, so the members are those whose names are close to the query (members.search)."""

    members: QuerySet[Member]
    tolerant: bool = False
    # More than MAX_FOUND members bear these names: the list holds MAX_FOUND of them (refine the search).
    capped: bool = False
    count: int | None = None  # known when the ids were read to find them: no COUNT query for the page

    def rows(self) -> QuerySet[Member] | CountedMembers:
        """What a paginator pages: the members, with their count when it is known."""
        return self.members if self.count is None else CountedMembers(self.members, self.count)


class CountedMembers:
    """Members whose count is known: Django's Paginator and the API's pagination slice them and call
    count() (or all().count()), which answers without a query."""

    def __init__(self, members: QuerySet[Member], count: int) -> None:
        self.members, self._count, self.ordered = members, count, True

    def count(self) -> int:
        return self._count

    def all(self) -> CountedMembers:
        return self

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, key: Any) -> Any:
        return self.members[key]


# A name search keeps at most this many members: the agent refines past it, and every search stays
# bounded at national scale (the matching ids are read once, the page and its count come from them).
MAX_FOUND = 1000


def member_lookup(*, user: Any, query: str) -> MemberSearch:
    """Members matching `query`, each once, holder fetched as `member.holders[0]`.

    A number (membership, card, matricule, CIN) matches exactly; otherwise every folded word of
    the query must start a word of one beneficiary's search text, so a member is also found through
    a dependant's name. Only when that finds nobody, and the query has no digit, the tolerant tier:
    the members whose names are close to every word (members.search), most similar first.
    """
    members = members_visible(user=user)
    query = (query or "").strip()
    if not query:
        return MemberSearch(_list_related(members).order_by("membership_number"))
    code = card_number_normalise(query)
    scoped = members.query.has_filters()
    # Every number of the registry (membership, matricule, CIN, card) has a digit: a name skips this.
    if any(ch.isdigit() for ch in code):
        ids = _exact_member_ids(code)
        exact = members.filter(pk__in=ids)
        if ids and (not scoped or exact.exists()):
            return MemberSearch(_list_related(exact).order_by("membership_number"), count=None if scoped else len(ids))
    scope = members.values("pk") if scoped else None
    named_ids = _named_member_ids(query, scope=scope)
    words = search_fold(query).split()
    if named_ids or not search.tolerable(words):
        kept = named_ids[:MAX_FOUND]
        named = _list_related(members.filter(pk__in=kept)).order_by("membership_number")
        return MemberSearch(named, capped=len(named_ids) > len(kept), count=len(kept))
    ids = search.tolerant_member_ids(words, prefix=_word_prefix, scope=scope)
    if not ids:
        return MemberSearch(members.none(), count=0)
    rank = Case(*(When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)), output_field=IntegerField())
    return MemberSearch(_list_related(members.filter(pk__in=ids)).order_by(rank), tolerant=True, count=len(ids))


def _exact_member_ids(code: str) -> list[int]:
    """The members whose membership number, matricule, CIN or a card is `code`: one indexed lookup
    each, in one query (an OR of the four read every member)."""
    ids = [
        Member.objects.filter(**{field: code}).order_by().values_list("pk", flat=True)
        for field in ("membership_number", "matricule", "cin")
    ]
    cards = Beneficiary.objects.filter(card_number=code).order_by().values_list("member_id", flat=True)
    rows = ids[0].union(ids[1], ids[2], cards)
    return list(rows)


def _named_member_ids(query: str, *, scope: QuerySet | None) -> list[int]:
    """Up to MAX_FOUND + 1 members with a beneficiary named by every word (the trigram index finds
    them; no order asked, so the database stops at the bound instead of walking every member)."""
    matching = beneficiaries_named(query)
    if scope is not None:
        matching = matching.filter(member_id__in=scope)
    return list(matching.order_by().values_list("member_id", flat=True).distinct()[: MAX_FOUND + 1])


def beneficiaries_named(query: str) -> QuerySet[Beneficiary]:
    """Beneficiaries whose names (Latin or Arabic script, folded) have a word starting with each
    word of `query`: the one name rule of the member search and of the claim lists. Not scoped to a
    user: callers filter what they show through their own visible set."""
    matching = Beneficiary.objects.all()
    for word in search_fold(query).split():
        matching = matching.filter(_word_prefix(word))
    return matching


def _word_prefix(word: str) -> Q:
    """A word of the query starts a word of the stored names; an Arabic family name is often
    written with or without the article (الفيلالي / فيلالي), so both spellings match.

    The two spellings are one regular expression (` (ال)?فيلالي`), not an OR of two LIKEs: the
    trigram index serves both, but PostgreSQL priced the OR of an Arabic full name above a parallel
    sequential scan of every beneficiary (65 ms at 200,000, against 12 ms through the index)."""
    if search.is_arabic(word):
        return Q(search_text__regex=f" ({search.ARTICLE})?{re.escape(search.without_article(word))}")
    return Q(search_text__contains=f" {word}")


def member_get(*, user: Any, pk: int) -> Member:
    """One member's file, with holder, dependants, status history and administration."""
    if not user.has_perm("members.view_member") and not Member.objects.filter(user=user).exists():
        raise PermissionDenied
    member = (
        members_visible(user=user)
        .select_related("administration", "user")
        .prefetch_related(
            Prefetch("beneficiaries", queryset=Beneficiary.objects.order_by("rank")),
            Prefetch("status_history", queryset=MemberStatusChange.objects.select_related("recorded_by")),
            "rights_suspensions",
        )
        .filter(pk=pk)
        .first()
    )
    if member is None:
        raise Http404
    return member


def beneficiary_by_card(*, card: str) -> Beneficiary | None:
    """The beneficiary holding this card, with its member and the member's status history (what
    eligibility and adjudication read); None for an unknown or empty card. The counter and the
    provider API look people up here; neither is scoped to the user: their callers check the rights."""
    number = card_number_normalise(card)
    if not number:
        return None
    return (
        Beneficiary.objects.select_related("member")
        .prefetch_related("member__status_history", "member__rights_suspensions")
        .filter(card_number=number)
        .first()
    )


def _status_row_on(history: Iterable[MemberStatusChange], on: dt.date) -> MemberStatusChange | None:
    current = None
    for row in sorted(history, key=lambda r: (r.valid_from, r.pk or 0)):
        if row.valid_from > on:
            break
        current = row
    return current


def member_status_on(*, member: Member, on: dt.date) -> str:
    """The member's status on a date from the history; "" before the first row (not yet a member)."""
    row = _status_row_on(member.status_history.all(), on)
    return row.status if row is not None else ""


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Age in whole years on a date (birthday reached that day counts)."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def _eligibility_params(on: dt.date) -> Params:
    """The dated rules in force on `on` (waiting months, age limits), as the claims adjudication
    reads them: the cached referential snapshot (one query for its version token)."""
    return referential_snapshot().params_on(on)


def beneficiary_eligibility(*, beneficiary: Beneficiary, on: dt.date) -> Eligibility:
    """Is this beneficiary covered for care on `on`? The only eligibility answer of the application.

    Uses the member's status history (prefetch `member__status_history` for lists) through
    `BeneficiaryCover`, shared with the claims adjudication, and the pure
    `engine.eligibility_check`.
    """
    facts = BeneficiaryCover.of(beneficiary).facts_on(on)
    if isinstance(facts, Eligibility):
        return facts
    return eligibility_check(facts, on, _eligibility_params(on))


def eligibility_reason_label(eligibility: Eligibility) -> str:
    """The reason of a refusal in the current language ("" when covered)."""
    if eligibility.covered or not eligibility.reason:
        return ""
    try:
        return reason_label(eligibility.reason, get_language() or "fr")
    except ValueError:  # a code without a label: shown as it is (the detail is a trace entry, not words)
        return eligibility.reason


def members_with_rib(*, rib: str) -> list[str]:
    """Membership numbers of the members whose file holds this RIB (as stored: digits only)."""
    if not rib:
        return []
    return list(
        Member.objects.filter(rib=rib).order_by("membership_number").values_list("membership_number", flat=True)
    )
