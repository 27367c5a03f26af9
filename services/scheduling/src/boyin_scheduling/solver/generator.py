"""A seeded synthetic fair for benchmarks and tests.

The default is the benchmark instance: 1,000 talents, 350 organisations, 5,000 accepted
requests, 2 days × 16 half-hour slots, 100 tables, about 30% of the requests online because
one talent in three joins from abroad (London, Berlin, New York, Los Angeles, Dubai,
Singapore, Tokyo, Sydney). The default dates, 31 Oct and 1 Nov 2026, straddle the end of
daylight saving time in the United States.

Also: late arrivals, early departures, blocked spans, roadshow sessions (presenting talents
and the investors who signed up for them cannot meet meanwhile), an opening ceremony, a few
organisations with fixed booths and several representatives, tables cleared in the last
slots, and popular organisations. An organisation's requests are capped at its free slots ×
representatives (likewise a talent's at its free slots): a request to a full organisation
goes to the talent's next choice, and the count is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from boyin_scheduling.solver.model import (
    FAIR_TZ,
    Edition,
    Instance,
    Interval,
    Kind,
    Mode,
    Participant,
    Request,
    Session,
    Slot,
    Table,
)
from boyin_scheduling.solver.problem import build_problem

OVERSEAS_ZONES = (
    ("Europe/London", 0.15),
    ("Europe/Berlin", 0.15),
    ("America/New_York", 0.15),
    ("America/Los_Angeles", 0.1),
    ("Asia/Dubai", 0.1),
    ("Asia/Singapore", 0.15),
    ("Asia/Tokyo", 0.1),
    ("Australia/Sydney", 0.1),
)


@dataclass(frozen=True)
class FairConfig:
    seed: int = 2026
    talents: int = 1000
    organisations: int = 350
    requests: int = 5000
    days: int = 2
    slots_per_day: int = 16
    slot_minutes: int = 30
    tables: int = 100
    #: share of talents abroad (online only); their requests are online
    overseas_share: float = 0.3
    #: organisations with a fixed booth (the most popular ones)
    booths: int = 10
    #: common tables cleared in the last two slots of the last day
    cleared_tables: int = 20
    roadshows: int = 24
    must_meet_share: float = 0.04
    #: Zipf exponent of organisations' popularity
    popularity: float = 0.8
    #: share of requests with weight 0 (drawn from a second stream: the rest is unchanged)
    zero_weight_share: float = 0.0
    first_day: date = date(2026, 10, 31)


@dataclass(frozen=True)
class GeneratedFair:
    instance: Instance
    #: organisations that reached their cap (free slots × representatives)
    capped_organisations: int
    #: requests that went to the talent's next choice because the first was full
    redirected_requests: int
    #: requests that found no organisation with room left (not generated)
    dropped_requests: int


def _slot_times(cfg: FairConfig) -> list[tuple[int, time]]:
    """(day, local start) of every slot: a morning block from 09:00, lunch, the rest."""
    morning = min(6, cfg.slots_per_day)
    out = []
    for d in range(cfg.days):
        t = datetime(2000, 1, 1, 9, 0)
        for i in range(cfg.slots_per_day):
            if i == morning:
                t = t + timedelta(minutes=90)
            out.append((d, t.time()))
            t += timedelta(minutes=cfg.slot_minutes)
    return out


def generate_fair(cfg: FairConfig | None = None) -> GeneratedFair:
    cfg = cfg or FairConfig()
    rng = np.random.default_rng(cfg.seed)
    tz = ZoneInfo(FAIR_TZ)

    def at(d: int, t: time) -> datetime:
        return datetime.combine(cfg.first_day + timedelta(days=d), t, tz)

    step = timedelta(minutes=cfg.slot_minutes)
    times = _slot_times(cfg)
    slot_starts = [at(d, t) for d, t in times]
    n_slots = len(slot_starts)
    all_tables = list(range(1, cfg.tables + 1))

    # organisations: popularity (Zipf), representatives; the most popular get booths
    n_org = cfg.organisations
    popularity = 1.0 / np.arange(1, n_org + 1) ** cfg.popularity
    org_order = rng.permutation(n_org)  # org_order[rank] = organisation number
    org_pop = np.empty(n_org)
    org_pop[org_order] = popularity
    reps = rng.choice([1, 2, 3], size=n_org, p=[0.7, 0.22, 0.08])
    booth_orgs = [int(o) for o in org_order[: cfg.booths]]
    tables: list[Table] = []
    number = cfg.tables
    for i, o in enumerate(booth_orgs):
        size = 2 if i % 3 == 0 else 1
        reps[o] = size
        for _ in range(size):
            tables.append(Table(number, booth_of=f"o{o:04d}"))
            number -= 1
    booth_numbers = {t.number for t in tables}
    common = [n for n in all_tables if n not in booth_numbers]
    tables += [Table(n) for n in common]
    tables.sort(key=lambda t: t.number)
    cleared = frozenset(common[-cfg.cleared_tables :]) if cfg.cleared_tables else frozenset()
    slots = []
    for i, (start, (d, _)) in enumerate(zip(slot_starts, times, strict=True)):
        last_two = d == cfg.days - 1 and i >= n_slots - 2
        slots.append(
            Slot(
                id=f"d{d + 1}s{i % cfg.slots_per_day + 1:02d}",
                day=cfg.first_day + timedelta(days=d),
                start=start,
                end=start + step,
                tables=frozenset(all_tables) - cleared if last_two else None,
            )
        )

    # sessions: an opening ceremony, then roadshows of two slots each
    sessions = [Session("opening", slot_starts[0], slot_starts[0] + 2 * step, "Opening")]
    roadshow_slots = [i for i in range(n_slots - 1) if slots[i].day == slots[i + 1].day]
    roadshow_slots = [i for i in roadshow_slots if slot_starts[i + 1] - slot_starts[i] == step]
    for k in range(cfg.roadshows):
        i = int(rng.choice(roadshow_slots))
        sessions.append(
            Session(f"roadshow{k:02d}", slot_starts[i], slot_starts[i] + 2 * step, "Roadshow")
        )
    roadshow_ids = [s.id for s in sessions[1:]]

    def gaps(onsite: bool) -> tuple[datetime | None, datetime | None, tuple[Interval, ...]]:
        arrival = departure = None
        if onsite and rng.random() < 0.1:
            d, t = times[int(rng.integers(2, n_slots // 2 + 2))]
            arrival = at(d, t)
        if onsite and rng.random() < 0.1:
            d, t = times[int(rng.integers(n_slots // 2, n_slots - 2))]
            departure = at(d, t)
        if arrival is not None and departure is not None and departure <= arrival:
            departure = None
        blocked = []
        if rng.random() < 0.15:
            for _ in range(int(rng.integers(1, 3))):
                i = int(rng.integers(0, n_slots))
                span = step * int(rng.integers(2, 5))
                blocked.append(Interval(slot_starts[i], slot_starts[i] + span))
        return arrival, departure, tuple(blocked)

    orgs: list[Participant] = []
    for o in range(n_org):
        arrival, departure, blocked = gaps(True)
        signed = []
        if rng.random() < 0.1:
            signed.append("opening")
        if rng.random() < 0.15:
            signed.append(str(rng.choice(roadshow_ids)))
        orgs.append(
            Participant(
                id=f"o{o:04d}",
                kind=Kind.ORGANISATION,
                arrival=arrival,
                departure=departure,
                blocked=blocked,
                sessions=tuple(signed),
                representatives=int(reps[o]),
                name=f"Organisation {o:04d}",
            )
        )

    zones, zone_p = zip(*OVERSEAS_ZONES, strict=True)
    zone_prob = np.array(zone_p) / sum(zone_p)
    talents: list[Participant] = []
    presenters = iter(roadshow_ids)
    for t in range(cfg.talents):
        overseas = rng.random() < cfg.overseas_share
        arrival, departure, blocked = gaps(not overseas)
        signed = []
        if not overseas:
            presenter = next(presenters, None) if rng.random() < 0.05 else None
            if presenter is not None:
                signed.append(presenter)
        talents.append(
            Participant(
                id=f"t{t:04d}",
                kind=Kind.TALENT,
                timezone=str(rng.choice(zones, p=zone_prob)) if overseas else FAIR_TZ,
                arrival=arrival,
                departure=departure,
                blocked=blocked,
                sessions=tuple(signed),
                online_only=overseas,
                name=f"Talent {t:04d}",
            )
        )

    edition = Edition(
        id="cq-2026",
        first_day=cfg.first_day,
        last_day=cfg.first_day + timedelta(days=cfg.days - 1),
        slots=tuple(slots),
        tables=tuple(tables),
        sessions=tuple(sessions),
    )

    # free slots per participant, to cap requests and avoid pairs with no common slot
    skeleton = build_problem(Instance(edition, (*orgs, *talents), ()))
    free = skeleton.available & np.where(
        np.array([p.online_only for p in skeleton.participants])[:, None],
        skeleton.in_hours,
        True,
    )
    org_free, talent_free = free[:n_org], free[n_org:]
    org_cap = org_free.sum(axis=1) * reps
    talent_cap = talent_free.sum(axis=1)
    org_load = np.zeros(n_org, np.int64)
    talent_load = np.zeros(cfg.talents, np.int64)
    activity = rng.lognormal(0.0, 0.6, cfg.talents)
    activity /= activity.sum()
    org_p = org_pop / org_pop.sum()

    requests: list[Request] = []
    pairs: set[tuple[int, int]] = set()
    capped: set[int] = set()
    redirected = dropped = 0
    for k in range(cfg.requests):
        done = False
        for _attempt in range(20):
            t = int(rng.choice(cfg.talents, p=activity))
            if talent_load[t] < talent_cap[t]:
                break
        else:
            dropped += 1
            continue
        choices = rng.choice(n_org, size=min(12, n_org), replace=False, p=org_p)
        full = False
        for o in (int(c) for c in choices):
            if (t, o) in pairs:
                continue
            if org_load[o] >= org_cap[o]:
                capped.add(o)
                full = True
                continue
            if not (org_free[o] & talent_free[t]).any():
                continue
            redirected += full
            pairs.add((t, o))
            org_load[o] += 1
            talent_load[t] += 1
            online = talents[t].online_only
            requests.append(
                Request(
                    id=f"r{k:05d}",
                    a=talents[t].id,
                    b=orgs[o].id,
                    weight=int(40 + 60 * rng.beta(2.0, 2.0)),
                    must_meet=bool(rng.random() < cfg.must_meet_share),
                    mode=Mode.ONLINE if online else Mode.ON_SITE,
                )
            )
            done = True
            break
        dropped += not done

    if cfg.zero_weight_share > 0:
        zero = np.random.default_rng(cfg.seed + 1).random(len(requests)) < cfg.zero_weight_share
        requests = [
            replace(r, weight=0, must_meet=False) if z else r
            for r, z in zip(requests, zero.tolist(), strict=True)
        ]
    count: dict[str, int] = {}
    for r in requests:
        count[r.a] = count.get(r.a, 0) + 1
        count[r.b] = count.get(r.b, 0) + 1
    people = tuple(
        replace(p, min_meetings=min(2 if p.kind is Kind.TALENT else 3, count.get(p.id, 0)))
        for p in (*orgs, *talents)
    )
    return GeneratedFair(
        instance=Instance(edition, people, tuple(requests)),
        capped_organisations=len(capped),
        redirected_requests=redirected,
        dropped_requests=dropped,
    )


#: the 20,000-request fair: 4,000 talents, 1,200 organisations, 3 days × 16 slots
LARGE_FAIR = FairConfig(
    talents=4000,
    organisations=1200,
    requests=20000,
    days=3,
    tables=300,
    booths=30,
    roadshows=48,
    zero_weight_share=0.005,
)


def triangle_fair(triangles: int = 40, n_slots: int = 2) -> Instance:
    """A fair built so the LP relaxation is fractional: ``triangles`` groups of three
    organisations that each asked the other two (organisation–organisation requests),
    on ``n_slots`` = 2 slots with a table for everyone. Three meetings pairwise among three
    participants need three slots (an odd cycle has no 2-edge-colouring), so at most two of
    a triangle's three meetings fit, while the LP puts each meeting half in each slot and
    counts all three. Weights differ per triangle so the rounding has choices to make."""
    tz = ZoneInfo(FAIR_TZ)
    day = date(2026, 10, 31)
    start = datetime.combine(day, time(9, 0), tz)
    step = timedelta(minutes=30)
    slots = tuple(
        Slot(f"s{i + 1}", day, start + i * step, start + (i + 1) * step) for i in range(n_slots)
    )
    tables = tuple(Table(n) for n in range(1, 2 * triangles + 1))
    edition = Edition("triangles", day, day, slots, tables)
    people: list[Participant] = []
    requests: list[Request] = []
    for k in range(triangles):
        ids = [f"o{k:03d}{c}" for c in "abc"]
        people += [Participant(i, Kind.ORGANISATION, name=i) for i in ids]
        for j, (x, y) in enumerate(((0, 1), (1, 2), (2, 0))):
            weight = 40 + (7 * k + 13 * j) % 60
            requests.append(Request(f"r{k:03d}{j}", ids[x], ids[y], weight=weight))
    return Instance(edition, tuple(people), tuple(requests))
