"""Does what a party sees depend on the order demands are published in?

The labelled set is published one demand at a time, in several random orders, through the
matching service (``app.wire`` on the embedded store: ``Lists.published`` for each, as the
registry's events would), and every demand's visible list (``GET
/demands/{id}/matches``: its proposals, best first) is read twice: as publication left it,
and after the service settled the lists (``Lists.settle``, what it does once the pool has
been quiet for ``SETTLE_AFTER`` seconds). Each is compared with the library's ranking on
the final pool (a matcher given every item at once): its pages (every list made as the
settled service makes it, from the library's ``candidates``) and its plain ranking
(``candidates``, without exposure control): the same top 5 for every demand, and the
same precision@1.
"""

from __future__ import annotations

import random
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from boyin_matching.app import wire
from boyin_matching.bench.quality import profile_of, queries_of
from boyin_matching.lists.service import PROPOSALS_PER_DEMAND, Lists
from boyin_matching.ranking.matcher import Matcher
from boyin_matching.ranking.taxonomy import TaxonomyTree
from boyin_shared.bus.embedded import EmbeddedBus
from boyin_shared.outbox import Outbox
from boyin_shared.store.sqlite import SqliteStore

TOP = 5
#: a demand's visible list: (counterpart demand id, score), best first
Visible = dict[str, list[tuple[str, float]]]
Encode = Callable[[Sequence[str]], Any]


def cached(encode: Encode) -> Encode:
    """``encode`` remembering every text's vector (each order encodes the same texts)."""
    known: dict[str, Any] = {}

    def encode_cached(texts: Sequence[str]) -> Any:
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:
            known.update(zip(missing, encode(missing), strict=True))
        return np.stack([known[t] for t in texts])

    return encode_cached


def library(data: dict[str, Any], tree: TaxonomyTree, encode: Encode) -> tuple[Visible, Visible]:
    """The library on the final pool: every item's top ``TOP`` by ``candidates`` alone,
    and what its page shows when every item's list is made as the settled service makes
    it (both sides' lists of PROPOSALS_PER_DEMAND, exposure control by one snapshot of
    the uncapped lists, see ``Lists.rematch``), its proposals from either side's list
    best first."""
    m = Matcher(encode, 512, tree)
    m.add_many([profile_of(i) for i in data["items"]])
    ids = [i["id"] for i in data["items"]]
    plain = {q: [(c.demand_id, c.score) for c in m.candidates(q, k=TOP)] for q in ids}
    pairs = {
        frozenset((q, c.demand_id))
        for q in ids
        for c in m.candidates(q, PROPOSALS_PER_DEMAND, use_lexical=False)
    }
    caps = Counter(party for pair in pairs for party in pair)
    shown: dict[str, dict[str, float]] = defaultdict(dict)
    for q in ids:
        for c in m.candidates(q, PROPOSALS_PER_DEMAND, caps):
            shown[q][c.demand_id] = shown[c.demand_id][q] = c.score
    pages = {q: sorted(shown[q].items(), key=lambda pair: -pair[1])[:TOP] for q in ids}
    return plain, pages


async def visible(lists: Lists, ids: Sequence[str]) -> Visible:
    """Each demand's proposals as its page shows them, best first."""
    out = {}
    for demand_id in ids:
        found = await lists.repository.of_demand(demand_id, TOP)
        out[demand_id] = [(p.other_side(demand_id).demand_id, p.scores.score) for p in found]
    return out


async def published_in(
    order: Sequence[dict[str, Any]], tree: TaxonomyTree, encode: Encode
) -> tuple[Visible, Visible]:
    """The labelled set published in ``order`` through the service: every demand's
    visible list as publication left it, and once the service settled the lists."""
    store, bus = SqliteStore(":memory:"), EmbeddedBus(":memory:")
    try:
        lists = wire(store, Outbox(store, bus), Matcher(encode, 512, tree)).lists
        for item in order:
            await lists.published(profile_of(item))
        ids = [i["id"] for i in order]
        before = await visible(lists, ids)
        await lists.settle()
        return before, await visible(lists, ids)
    finally:
        await store.close()
        await bus.stop()


@dataclass(frozen=True)
class Compared:
    """One visible state against the library's ranking."""

    p_at_1: dict[str, float]  # per direction
    same_top: float  # share of demands whose top TOP is the library's, in its order
    score_gap: float  # largest difference of a shown score from the library's


def compare(
    seen: Visible, reference: Visible, groups: Mapping[str, list[tuple[str, str, Any]]]
) -> Compared:
    p1 = {
        group: statistics.fmean(
            1.0 if seen[q] and seen[q][0][0] == right else 0.0 for q, right, _ in queries
        )
        for group, queries in groups.items()
        if group.endswith(", all")
    }
    same = [[c for c, _ in seen[q]] == [c for c, _ in reference[q]] for q in reference]
    gaps = [
        abs(a - b)
        for q in reference
        for (ca, a), (cb, b) in zip(seen[q], reference[q], strict=False)
        if ca == cb
    ]
    return Compared(p1, statistics.fmean(same), max(gaps, default=0.0))


async def run(
    data: dict[str, Any], tree: TaxonomyTree, encode: Encode, orders: int = 5, seed: int = 1
) -> list[tuple[Compared, Compared]]:
    """Prints, per order, precision@1 and how many demands' top 5 are the library's, as
    published and settled; returns each order's comparisons with the library's pages
    (as published, settled)."""
    encode = cached(encode)
    groups = queries_of(data)
    plain, pages = library(data, tree, encode)
    print(f"\n== publication order ({orders} random orders through the service, top {TOP})")
    for label, reference in (("ranking", plain), ("pages", pages)):
        print(
            f"  library's {label} on the final pool: P@1 {_p1(compare(reference, plain, groups))}"
        )
    rng = random.Random(seed)
    settled: list[Visible] = []
    out = []
    for n in range(orders):
        order = list(data["items"])
        rng.shuffle(order)
        before, after = await published_in(order, tree, encode)
        settled.append(after)
        compared = (compare(before, pages, groups), compare(after, pages, groups))
        out.append(compared)
        for label, seen, got in zip(
            ("as published", "settled"), (before, after), compared, strict=True
        ):
            print(
                f"  order {n + 1}, {label:12}: P@1 {_p1(got)}; top {TOP} = the library's page "
                f"for {got.same_top:.1%} of demands, its ranking for "
                f"{compare(seen, plain, groups).same_top:.1%} (largest score gap "
                f"{got.score_gap:.1e})"
            )
    agree = statistics.fmean(
        all([c for c, _ in s[q]] == [c for c, _ in settled[0][q]] for s in settled) for q in plain
    )
    print(f"  settled: the same top {TOP} in every order for {agree:.1%} of demands")
    return out


def _p1(compared: Compared) -> str:
    return ", ".join(f"{g.removesuffix(', all')} {v:.3f}" for g, v in compared.p_at_1.items())
