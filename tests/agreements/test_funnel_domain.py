"""The funnel's pure core: facts merge the same whatever the order and however often an
event comes, items are attributed to their demands' edition, district, cluster and
channel when the report is folded, and each step's conversion, the contract values and
the days from match to signature are counted."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest

from boyin_agreements.reports.domain import (
    Fact,
    Filters,
    Funnel,
    Row,
    funnel,
    key_of,
    merge,
)
from boyin_agreements.reports.facts import COUNTED, facts_of
from boyin_shared.api.reports import FunnelDimension, FunnelStep
from boyin_shared.contracts.agreements import AgreementOrigin, AgreementTerminated, Amount
from boyin_shared.contracts.registry import (
    DemandExpired,
    DemandRejected,
    DemandReturned,
    DemandWithdrawn,
)
from boyin_shared.events import Event
from tests.agreements.funnel_support import (
    BY_DISTRICT,
    E1,
    E2,
    T0,
    TOTAL,
    WANZHOU,
    YUZHONG,
    fair,
    pipeline,
    scrambled,
)
from tests.gateway.events import meeting_cancelled

MANUAL = AgreementOrigin(kind="MANUAL", match_id=None, meeting_id=None)
VALUE = Amount(amount=Decimal("500"), currency="CNY")


def project(events: list[Event]) -> list[Fact]:
    """The facts as the repository would keep them: one per item, merged in arrival order."""
    kept: dict[str, Fact] = {}
    for event in events:
        for fact in facts_of(event):
            key = key_of(fact)
            kept[key] = merge(kept[key], fact) if key in kept else fact
    return list(kept.values())


def counts_of(row: Row) -> list[int]:
    return [row.counts[s] for s in FunnelStep]


def counts(f: Funnel, key: str | None = "total") -> list[int]:
    return counts_of(f.total if key == "total" else next(r for r in f.rows if r.key == key))


def test_the_fair_in_order_counts_each_step() -> None:
    f = funnel(project(fair()), FunnelDimension.DISTRICT)
    assert counts(f) == TOTAL
    assert {r.key: counts(f, r.key) for r in f.rows} == BY_DISTRICT
    assert [r.key for r in f.rows] == [WANZHOU, YUZHONG, None]  # by key, none last


@pytest.mark.parametrize("seed", range(8))
def test_scrambled_and_redelivered_events_project_the_same_facts(seed: int) -> None:
    in_order = sorted(project(fair()), key=key_of)
    assert sorted(project(scrambled(fair(), seed)), key=key_of) == in_order


def test_conversions_contract_values_and_days_to_signature() -> None:
    total = funnel(project(fair()), FunnelDimension.EDITION).total
    assert total.conversion(FunnelStep.DEMANDS) is None
    assert total.conversion(FunnelStep.PROPOSALS) == pytest.approx(3 / 4)
    assert total.conversion(FunnelStep.MUTUAL_MATCHES) == pytest.approx(2 / 3)
    assert total.conversion(FunnelStep.SIGNED) == pytest.approx(2 / 3)
    assert total.conversion(FunnelStep.LANDED) == pytest.approx(1 / 2)
    # the terminated agreement was never signed: its value is not counted
    assert dict(total.contract_values) == {"CNY": Decimal("15000000"), "USD": Decimal("1000000")}
    # one from its match (10 days), the other through its meeting's match (20 days)
    assert sorted(total.signature_days) == [10.0, 20.0]
    assert total.mean_days() == 15.0 and total.median_days() == 15.0


def test_a_step_after_an_empty_one_has_no_conversion() -> None:
    f = funnel(project(fair()), FunnelDimension.DISTRICT)
    none_row = next(r for r in f.rows if r.key is None)
    assert none_row.conversion(FunnelStep.MUTUAL_MATCHES) is None
    assert none_row.conversion(FunnelStep.PROPOSALS) == 0.0


def test_a_match_that_arrives_before_its_demands_is_attributed_once_they_do() -> None:
    events = fair()
    demands = [e for e in events if e.type.startswith("boyin.registry.")]
    rest = [e for e in events if not e.type.startswith("boyin.registry.")]
    early = funnel(project(rest), FunnelDimension.CHANNEL)
    assert [r.key for r in early.rows] == [None]  # nothing knows a channel yet
    late = funnel(project(rest + demands), FunnelDimension.CHANNEL)
    rows = {r.key: counts(late, r.key) for r in late.rows}
    # mat_1 joins a project and a landing offer: it counts in both channels' rows
    assert rows["PROJECT_COOPERATION"][:3] == [1, 2, 1]
    assert rows["PROJECT_LANDING"][:3] == [1, 1, 1]
    assert rows[None] == [0, 0, 0, 0, 1, 0, 0]  # the agreement started by hand


def test_the_newest_revision_of_a_demand_decides_its_cluster() -> None:
    f = funnel(project(fair()), FunnelDimension.CLUSTER)
    assert {r.key for r in f.rows} == {"C33-L1", "C33-L2", "C33-P1", None}
    assert counts(f, "C33-L2")[0] == 1  # dem_2, republished content
    assert counts(f, "C33-L1")[0] == 1  # dem_1 only: dem_5 was never published


def test_filters_and_a_demand_in_two_editions() -> None:
    facts = project(fair())
    by_edition = funnel(facts, FunnelDimension.EDITION)
    assert counts(by_edition, E2) == [1, 1, 1, 1, 1, 1, 0]
    assert counts(by_edition, E1) == TOTAL
    yuzhong = funnel(facts, FunnelDimension.CHANNEL, Filters(district=YUZHONG))
    assert counts(yuzhong) == BY_DISTRICT[YUZHONG]
    assert counts(funnel(facts, FunnelDimension.CHANNEL, Filters(channel="JOB_SEEKING"))) == [
        1, 1, 1, 1, 1, 1, 0
    ]  # fmt: skip


def test_merging_is_order_free_and_idempotent() -> None:
    by_item: dict[str, list[Fact]] = {}
    for event in fair():
        for fact in facts_of(event):
            by_item.setdefault(key_of(fact), []).append(fact)
    for key, facts in by_item.items():
        results = []
        for order in itertools.islice(itertools.permutations(facts), 50):
            merged = order[0]
            for fact in order[1:]:
                merged = merge(merge(merged, fact), fact)
            results.append(merged)
        assert all(r == results[0] for r in results), key


def test_an_agreement_terminated_after_its_signature_stays_signed() -> None:
    stages = ["DRAFTED", "SIGNED", "TERMINATED"]
    events = pipeline("ag_t", stages, T0, origin=MANUAL, district=YUZHONG, value=VALUE)
    termination: list[Event] = [e for e in events if isinstance(e, AgreementTerminated)]
    for told in (events, termination):  # also when only the termination has arrived
        total = funnel(project(told), FunnelDimension.DISTRICT).total
        assert counts_of(total) == [0, 0, 0, 0, 1, 1, 0]
        assert dict(total.contract_values) == {"CNY": Decimal("500")}


def test_every_counted_event_tells_the_funnel_something() -> None:
    """The consumers subscribe to COUNTED: each of those events of the fair is read."""
    told = {type(e) for e in fair() if facts_of(e)}
    assert told == set(COUNTED) - {DemandExpired, DemandRejected, DemandReturned, DemandWithdrawn}
    assert not facts_of(meeting_cancelled("mtg_9", E1, "tal_1", "org_1"))
