"""Each ruling is listed once behind an award distribution, however many sums it awarded."""

from __future__ import annotations

import pytest

from pipeline.facts import Facts
from pipeline.present.labels import ENGLISH
from pipeline.stats.compute import _awards

EUR = "EUR"


def _ruling(n: int, sums: list[tuple[float, str, str]], year: int = 2010) -> Facts:
    return Facts(id=f"r{n}", kind="echr_judgment", date=f"{year}-01-0{n + 1}",
                 language="en", title=f"CASE OF R{n} v. RUSSIA", case_numbers=[f"{n}/10"],
                 holdings=[("3", "violation")], awards=sums)


@pytest.mark.parametrize("rulings, head, expected", [
    # two sums of one head in one ruling: the ruling once, both sums counted
    ([_ruling(0, [(1000.0, EUR, "non_pecuniary"), (500.0, EUR, "non_pecuniary")])],
     "non_pecuniary", (["r0"], 2)),
    # near miss: the same sums in two rulings are two rulings
    ([_ruling(0, [(1000.0, EUR, "non_pecuniary")]), _ruling(1, [(500.0, EUR, "non_pecuniary")])],
     "non_pecuniary", (["r0", "r1"], 2)),
    # a ruling between two others' sums of another head does not hide either
    ([_ruling(0, [(1.0, EUR, "costs")]), _ruling(1, [(2.0, EUR, "pecuniary"), (3.0, EUR, "costs")]),
      _ruling(2, [(4.0, EUR, "costs"), (5.0, EUR, "costs")])],
     "costs", (["r0", "r1", "r2"], 4)),
])
def test_each_ruling_once_behind_a_distribution(rulings, head, expected) -> None:
    stats = _awards(rulings, [], "year", None, None, ENGLISH)
    whole = next(d for d in stats.distributions if d.head == head and d.group is None)
    assert (whole.rulings.ids, whole.stats.count) == expected
    for d in stats.distributions:
        assert len(d.rulings.ids) == len(set(d.rulings.ids))
