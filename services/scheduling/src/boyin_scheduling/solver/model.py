"""The scheduling domain as plain frozen data: an edition's grid, its participants, the
meeting requests they accepted, and the schedule that answers them.

Nothing here checks anything; ``problem.build_problem`` validates a whole ``Instance`` at
once and reports every bad field (see ``checks``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from functools import cached_property

#: the fair's own time zone (Chongqing keeps Beijing time)
FAIR_TZ = "Asia/Shanghai"
#: the bonus a "must meet" request adds to its weight: one such meeting outweighs ten
#: ordinary meetings of weight 100 (weights are match scores, 0–100)
MUST_MEET_BONUS = 1_000


class Kind(StrEnum):
    TALENT = "talent"
    ORGANISATION = "organisation"


class Mode(StrEnum):
    ON_SITE = "on_site"
    ONLINE = "online"


@dataclass(frozen=True)
class Interval:
    """A half-open span of time ``[start, end)`` (timezone-aware datetimes)."""

    start: datetime
    end: datetime

    def overlaps(self, start: datetime, end: datetime) -> bool:
        return self.start < end and start < self.end


@dataclass(frozen=True)
class Slot:
    """One meeting slot. ``tables`` are the table numbers set up in it (``None``: every table
    of the edition); the on-site capacity is their number."""

    id: str
    day: date
    start: datetime
    end: datetime
    tables: frozenset[int] | None = None


@dataclass(frozen=True)
class Table:
    """A numbered table; ``booth_of`` makes it the fixed booth of one organisation."""

    number: int
    booth_of: str | None = None


@dataclass(frozen=True)
class Session:
    """A fixed programme item (roadshow, talk): those who present at or signed up for it
    cannot meet during it."""

    id: str
    start: datetime
    end: datetime
    title: str = ""


@dataclass(frozen=True)
class Edition:
    id: str
    first_day: date
    last_day: date
    slots: tuple[Slot, ...]
    tables: tuple[Table, ...]
    sessions: tuple[Session, ...] = ()
    timezone: str = FAIR_TZ
    #: local hours an online participant can be asked to meet in, in their own time zone
    local_hours: tuple[time, time] = (time(8, 0), time(22, 0))


@dataclass(frozen=True)
class Participant:
    """A talent or an organisation. ``representatives`` is how many meetings it can hold at
    once (an organisation sending several people); each on-site one needs its own table."""

    id: str
    kind: Kind
    timezone: str = FAIR_TZ
    arrival: datetime | None = None
    departure: datetime | None = None
    blocked: tuple[Interval, ...] = ()
    sessions: tuple[str, ...] = ()
    online_only: bool = False
    min_meetings: int = 0
    representatives: int = 1
    name: str = ""


@dataclass(frozen=True)
class Request:
    """An accepted request for a one-on-one meeting between ``a`` and ``b``.

    ``weight`` is an integer priority (e.g. the match score in percent); ``must_meet`` adds
    ``MUST_MEET_BONUS``. On site, the meeting takes a table: the booth of ``a`` if it has
    one, else the booth of ``b``, else a table of the common pool.
    """

    id: str
    a: str
    b: str
    weight: int = 100
    must_meet: bool = False
    mode: Mode = Mode.ON_SITE

    @property
    def priority(self) -> int:
        return self.weight + (MUST_MEET_BONUS if self.must_meet else 0)


@dataclass(frozen=True)
class Instance:
    """Everything a schedule is computed from."""

    edition: Edition
    participants: tuple[Participant, ...]
    requests: tuple[Request, ...]


@dataclass(frozen=True)
class Placement:
    """Where a meeting happens: a slot and a table number, or ``table=None`` for online."""

    request_id: str
    slot_id: str
    table: int | None


@dataclass(frozen=True)
class Schedule:
    """The published answer: one placement per scheduled request, in request order."""

    placements: tuple[Placement, ...]
    unscheduled: tuple[str, ...] = ()

    @cached_property
    def by_request(self) -> dict[str, Placement]:
        return {p.request_id: p for p in self.placements}

    def get(self, request_id: str) -> Placement | None:
        return self.by_request.get(request_id)

    def __len__(self) -> int:
        return len(self.placements)
