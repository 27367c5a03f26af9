"""The funnel as a projection of every service's events. Pure: facts in, counts out.

Each event becomes a *fact* about one item (a demand, a match, a meeting, an agreement;
see :mod:`boyin_agreements.reports.facts`), kept one per item. Two facts about the same item merge (:func:`merge`) into one, and the
merge is commutative, associative and idempotent: the stored fact is the same whatever
order the events arrive in and however often each is delivered. The item's edition,
district, cluster and channel are only joined in when the report is folded
(:func:`funnel`), from the facts known then: an event that refers to a demand whose own
event has not arrived yet is attributed as soon as the demand's fact is stored.

A demand counts once it was published (a withdrawn or expired one still does); a match
counts as proposed, and as mutual once both sides accepted; an agreement counts as an
intention however it started, as signed once it reached ``SIGNED`` (a later termination
does not undo that) and as landed at ``LANDED``. A cluster is a taxonomy code as the demand
(or the agreement) carries it.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

from boyin_shared.api.reports import FunnelDimension, FunnelStep

STEPS = tuple(FunnelStep)


@dataclass(frozen=True)
class Dims:
    """The values an item has along each dimension (sets: a match joins two demands)."""

    editions: frozenset[str] = frozenset()
    districts: frozenset[str] = frozenset()
    clusters: frozenset[str] = frozenset()
    channels: frozenset[str] = frozenset()

    def __or__(self, other: Dims) -> Dims:
        return Dims(
            self.editions | other.editions,
            self.districts | other.districts,
            self.clusters | other.clusters,
            self.channels | other.channels,
        )

    def along(self, by: FunnelDimension) -> frozenset[str]:
        return {
            FunnelDimension.EDITION: self.editions,
            FunnelDimension.DISTRICT: self.districts,
            FunnelDimension.CLUSTER: self.clusters,
            FunnelDimension.CHANNEL: self.channels,
        }[by]


def dims(
    editions: Iterable[str | None] = (),
    districts: Iterable[str | None] = (),
    clusters: Iterable[str | None] = (),
    channels: Iterable[str | None] = (),
) -> Dims:
    def kept(values: Iterable[str | None]) -> frozenset[str]:
        return frozenset(v for v in values if v)

    return Dims(kept(editions), kept(districts), kept(clusters), kept(channels))


@dataclass(frozen=True)
class DemandFact:
    demand_id: str
    #: the newest snapshot's revision: its dimensions win
    revision: int
    own: Dims
    #: published at least once
    published: bool


@dataclass(frozen=True)
class MatchFact:
    match_id: str
    demand_ids: frozenset[str]
    proposed: bool
    #: when both sides accepted (the earliest report of it)
    mutual_at: datetime | None


@dataclass(frozen=True)
class MeetingFact:
    meeting_id: str
    match_id: str | None
    own: Dims
    held: bool


@dataclass(frozen=True)
class AgreementFact:
    agreement_id: str
    #: the newest snapshot's revision (-1: only the signing is known so far)
    revision: int
    match_id: str | None
    meeting_id: str | None
    demand_ids: frozenset[str]
    own: Dims
    #: contract values by currency, as of the newest snapshot
    contract_values: Mapping[str, Decimal]
    signed_at: datetime | None
    landed: bool


Fact = DemandFact | MatchFact | MeetingFact | AgreementFact


def key_of(fact: Fact) -> str:
    """The stored fact's id: one per item."""
    match fact:
        case DemandFact():
            return f"demand:{fact.demand_id}"
        case MatchFact():
            return f"match:{fact.match_id}"
        case MeetingFact():
            return f"meeting:{fact.meeting_id}"
        case AgreementFact():
            return f"agreement:{fact.agreement_id}"


def _earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    return min((t for t in (a, b) if t is not None), default=None)


def _newer(a: int, b: int, x: Dims, y: Dims) -> Dims:
    """The newer snapshot's dimensions; equal revisions (a redelivery) join, so the
    result does not depend on the order."""
    return x if a > b else y if b > a else x | y


def merge(old: Fact, new: Fact) -> Fact:
    """Two facts about the same item as one."""
    match old, new:
        case DemandFact(), DemandFact():
            return replace(
                old,
                revision=max(old.revision, new.revision),
                own=_newer(old.revision, new.revision, old.own, new.own),
                published=old.published or new.published,
            )
        case MatchFact(), MatchFact():
            return replace(
                old,
                demand_ids=old.demand_ids | new.demand_ids,
                proposed=old.proposed or new.proposed,
                mutual_at=_earliest(old.mutual_at, new.mutual_at),
            )
        case MeetingFact(), MeetingFact():
            return replace(
                old,
                match_id=old.match_id or new.match_id,
                own=old.own | new.own,
                held=old.held or new.held,
            )
        case AgreementFact(), AgreementFact():
            newest = old if (old.revision, _order(old)) >= (new.revision, _order(new)) else new
            return replace(
                newest,
                match_id=old.match_id or new.match_id,
                meeting_id=old.meeting_id or new.meeting_id,
                demand_ids=old.demand_ids | new.demand_ids,
                own=_newer(old.revision, new.revision, old.own, new.own),
                signed_at=_earliest(old.signed_at, new.signed_at),
                landed=old.landed or new.landed,
            )
    raise ValueError(f"cannot merge {key_of(old)} with {key_of(new)}")


def _order(fact: AgreementFact) -> tuple[tuple[str, str], ...]:
    """A tie-break between two snapshots of one revision (they are the same snapshot)."""
    return tuple(sorted((c, str(v)) for c, v in fact.contract_values.items()))


# -- the fold -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    edition: str | None = None
    district: str | None = None
    cluster: str | None = None
    channel: str | None = None

    def accepts(self, d: Dims) -> bool:
        wanted = (
            (self.edition, d.editions),
            (self.district, d.districts),
            (self.cluster, d.clusters),
            (self.channel, d.channels),
        )
        return all(value is None or value in values for value, values in wanted)


@dataclass
class Row:
    """What one row of the funnel counts."""

    key: str | None
    counts: dict[FunnelStep, int] = field(default_factory=lambda: dict.fromkeys(STEPS, 0))
    contract_values: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    signature_days: list[float] = field(default_factory=list)

    def conversion(self, step: FunnelStep) -> float | None:
        at = STEPS.index(step)
        if at == 0 or not self.counts[STEPS[at - 1]]:
            return None
        return self.counts[step] / self.counts[STEPS[at - 1]]

    def mean_days(self) -> float | None:
        return statistics.fmean(self.signature_days) if self.signature_days else None

    def median_days(self) -> float | None:
        return statistics.median(self.signature_days) if self.signature_days else None


@dataclass(frozen=True)
class Funnel:
    total: Row
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class _Item:
    steps: tuple[FunnelStep, ...]
    dims: Dims
    agreement: AgreementFact | None = None
    matched_at: datetime | None = None


class _Join:
    """The facts by id, and each item's dimensions joined from the demands it refers to."""

    def __init__(self, facts: Iterable[Fact]) -> None:
        self.demands: dict[str, DemandFact] = {}
        self.matches: dict[str, MatchFact] = {}
        self.meetings: dict[str, MeetingFact] = {}
        self.agreements: dict[str, AgreementFact] = {}
        for f in facts:
            match f:
                case DemandFact():
                    self.demands[f.demand_id] = f
                case MatchFact():
                    self.matches[f.match_id] = f
                case MeetingFact():
                    self.meetings[f.meeting_id] = f
                case AgreementFact():
                    self.agreements[f.agreement_id] = f

    def of_demands(self, ids: Iterable[str]) -> Dims:
        known = [d.own for i in ids if (d := self.demands.get(i)) is not None]
        if len(known) == 1:
            return known[0]
        return Dims(
            frozenset().union(*(k.editions for k in known)),
            frozenset().union(*(k.districts for k in known)),
            frozenset().union(*(k.clusters for k in known)),
            frozenset().union(*(k.channels for k in known)),
        )

    def match(self, match_id: str | None) -> MatchFact | None:
        return self.matches.get(match_id) if match_id else None

    def of_match(self, match_id: str | None) -> Dims:
        m = self.match(match_id)
        return self.of_demands(m.demand_ids) if m else Dims()

    def meeting_match(self, meeting_id: str | None) -> str | None:
        m = self.meetings.get(meeting_id) if meeting_id else None
        return m.match_id if m else None

    def items(self) -> Iterable[_Item]:
        for d in self.demands.values():
            if d.published:
                yield _Item((FunnelStep.DEMANDS,), d.own)
        for m in self.matches.values():
            steps: tuple[FunnelStep, ...] = (FunnelStep.PROPOSALS,)
            if m.mutual_at is not None:  # a mutual match was proposed, whatever arrived
                steps = (FunnelStep.PROPOSALS, FunnelStep.MUTUAL_MATCHES)
            if m.proposed or m.mutual_at is not None:
                yield _Item(steps, self.of_demands(m.demand_ids))
        for meeting in self.meetings.values():
            if meeting.held:
                yield _Item(
                    (FunnelStep.MEETINGS_HELD,), meeting.own | self.of_match(meeting.match_id)
                )
        for a in self.agreements.values():
            yield self._agreement(a)

    def _agreement(self, a: AgreementFact) -> _Item:
        match_id = a.match_id or self.meeting_match(a.meeting_id)
        meeting = self.meetings.get(a.meeting_id) if a.meeting_id else None
        joined = a.own | self.of_demands(a.demand_ids) | self.of_match(match_id)
        if meeting is not None:
            joined |= meeting.own
        steps = [FunnelStep.INTENTIONS]
        if a.signed_at is not None:
            steps.append(FunnelStep.SIGNED)
        if a.landed:
            steps.append(FunnelStep.LANDED)
        m = self.match(match_id)
        return _Item(tuple(steps), joined, a, m.mutual_at if m else None)


def _count(row: Row, item: _Item) -> None:
    for step in item.steps:
        row.counts[step] += 1
    a = item.agreement
    if a is None or a.signed_at is None:
        return
    for currency, amount in a.contract_values.items():
        row.contract_values[currency] += amount
    if item.matched_at is not None:
        seconds = (a.signed_at - item.matched_at).total_seconds()
        row.signature_days.append(max(seconds, 0.0) / 86400)


def funnel(facts: Iterable[Fact], by: FunnelDimension, filters: Filters = Filters()) -> Funnel:
    """The funnel of what ``filters`` let through: in total (each item once) and one row
    per value of ``by`` (an item with several values counts in each; one with none in
    the row whose key is None), rows ordered by key."""
    total = Row(None)
    rows: dict[str | None, Row] = {}
    for item in _Join(facts).items():
        if not filters.accepts(item.dims):
            continue
        _count(total, item)
        keys: list[str | None] = [*sorted(item.dims.along(by))] or [None]
        for key in keys:
            _count(rows.setdefault(key, Row(key)), item)
    ordered = sorted(rows.values(), key=lambda r: (r.key is None, r.key or ""))
    return Funnel(total, tuple(ordered))
