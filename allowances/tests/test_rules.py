"""The arithmetic of allowances: months of membership, ages, shares that add up to the net."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from allowances.rules import age_on, from_centimes, months_between, shares_split, to_centimes


def test_it_counts_whole_months_of_membership() -> None:
    # Joined 10 Jan 2025: on 9 Jan 2026 eleven whole months, on 10 Jan 2026 twelve.
    assert months_between(dt.date(2025, 1, 10), dt.date(2026, 1, 9)) == 11
    assert months_between(dt.date(2025, 1, 10), dt.date(2026, 1, 10)) == 12


def test_it_gives_the_age_on_a_day() -> None:
    assert age_on(dt.date(2005, 3, 1), dt.date(2026, 2, 28)) == 20
    assert age_on(dt.date(2005, 3, 1), dt.date(2026, 3, 1)) == 21


def test_it_gives_the_left_centimes_to_the_first_heir() -> None:
    # 50,000.00 - 120.00 arrears = 49,880.00 = 4,988,000 centimes; / 3 = 1,662,666 rest 2:
    # the first heir gets 1,662,668 (16,626.68), the others 1,662,666 (16,626.66).
    net = to_centimes(from_centimes(5_000_000)) - 12_000
    shares = shares_split(net, [1, 1, 1])
    assert [from_centimes(s) for s in shares] == [from_centimes(1_662_668), from_centimes(1_662_666),
                                                   from_centimes(1_662_666)]  # fmt: skip
    assert str(from_centimes(shares[0])) == "16626.68" and str(from_centimes(shares[1])) == "16626.66"


def test_it_shares_by_parts_set_by_an_administrator() -> None:
    # 10,000.01 in parts 2:1:1 -> 4 parts: 500,000 each part rest 1; 2 parts 500,000.50 -> floors:
    # 1,000,001 * 2 // 4 = 500,000, * 1 // 4 = 250,000 twice; 1 centime left to the first.
    assert shares_split(1_000_001, [2, 1, 1]) == [500_001, 250_000, 250_000]


@given(net=st.integers(min_value=0, max_value=10**10), parts=st.lists(st.integers(1, 12), min_size=1, max_size=12))
def test_it_always_sums_the_shares_to_the_net(net: int, parts: list[int]) -> None:
    shares = shares_split(net, parts)
    assert sum(shares) == net
    assert all(s >= 0 for s in shares)
    # Only the first share may carry more than its exact part, and by less than one centime per heir.
    exact = [net * p / sum(parts) for p in parts]
    assert all(abs(s - e) < 1 for s, e in zip(shares[1:], exact[1:], strict=True))
    assert shares[0] - exact[0] < len(parts)
