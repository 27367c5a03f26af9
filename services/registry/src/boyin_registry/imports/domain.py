"""Imports of demands, talents and organisations from spreadsheets: whose keys a row
uses, what a row's import came to, and the import job that runs a file's rows in batches
(plain Python).

A row is idempotent by its external reference: ``{scope}:{key}`` (scope ``ops`` for
operators and admins, the district code for district officers) is bound to one demand, and
``{scope}:{kind}:{key}`` to one talent or organisation. A re-import edits what it is bound
to when its content changed and leaves it alone when not.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from boyin_registry.demands.domain import Demand, DemandContent
from boyin_registry.imports.columns import DEMANDS, Layout
from boyin_registry.imports.profile_columns import ORGANISATIONS, TALENTS
from boyin_registry.imports.spreadsheets import Sheet
from boyin_shared.api.registry import ImportKind
from boyin_shared.clock import utcnow
from boyin_shared.errors import Message, forbidden
from boyin_shared.identity import Actor, Role

OPS = "ops"
LAYOUTS: dict[ImportKind, Layout] = {
    ImportKind.DEMANDS: DEMANDS,
    ImportKind.TALENTS: TALENTS,
    ImportKind.ORGANISATIONS: ORGANISATIONS,
}
#: rows stored, run and reported together
BATCH = 100
#: batches whose rows' demands and owners are looked up together (one query for all: the
#: MongoDB-wire server scans a whole collection for every query but one ``_id`` lookup,
#: so a look-up of 5,000 demands costs about as much as one of 100; they take ~10 MB)
LOOKED_UP_TOGETHER = 50
HEARTBEAT_SECONDS = 10.0
_LIVE = ("queued", "running")


def scope_of(actor: Actor) -> str:
    """Whose keys the actor's rows are: ``ops``, or a district officer's district."""
    if actor.role in (Role.OPERATOR, Role.ADMIN):
        return OPS
    if actor.role is Role.DISTRICT_OFFICER and actor.district_code:
        return actor.district_code
    raise forbidden(
        Message("只有运营人员和区县工作人员可以导入", "only operators and district officers import")
    )


def export_key(demand: Demand, scope: str | None) -> str:
    """The key an export writes: the importer's own key, else the demand id (which a
    re-import recognises, so an exported demand comes back to itself)."""
    ref = demand.external_ref
    if scope and ref and ref.startswith(scope + ":"):
        return ref[len(scope) + 1 :]
    return demand.id


def same_content(a: DemandContent, b: DemandContent) -> bool:
    """Equal as a spreadsheet can say it (claim reviews are not part of a row)."""

    def said(c: DemandContent) -> tuple[tuple[str, str | None, str | None], ...]:
        return tuple((x.criterion.value, x.evidence, x.evidence_file) for x in c.claims)

    return replace(a, claims=()) == replace(b, claims=()) and said(a) == said(b)


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FAILED = "failed"


@dataclass(frozen=True)
class CellError:
    #: the column's header as the file writes it (None: the row as a whole)
    column: str | None
    field: str
    code: str
    message: Message


@dataclass(frozen=True)
class RowResult:
    row: int
    key: str | None
    outcome: Outcome
    errors: tuple[CellError, ...] = ()


#: The Chinese name of each status of an import job, for messages.
JOB_STATUS_ZH = {"queued": "排队中", "running": "进行中", "done": "已完成", "failed": "已失败"}


@dataclass
class Job:
    """An import of one file: its progress is saved after every batch."""

    id: str
    scope: str
    kind: ImportKind
    actor: Actor
    filename: str | None
    format: str
    language: str
    headers: dict[str, str]
    ignored: list[str]
    total: int
    status: str = "queued"
    processed: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {o.value: 0 for o in Outcome})
    #: how many rows failed in each finished batch (pages the errors by batch document)
    error_rows: list[int] = field(default_factory=list)
    error: Message | None = None
    error_code: str | None = None
    created_at: datetime = field(default_factory=utcnow)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    heartbeat_at: datetime = field(default_factory=utcnow)
    rev: int = 0

    @property
    def batches(self) -> int:
        return -(-self.total // BATCH)

    def sheet(self) -> Sheet:
        """The file's headers, to name the columns of errors."""
        layout = LAYOUTS[self.kind]
        return Sheet(layout, self.format, self.language, self.headers, tuple(self.ignored), ())

    def interrupted(self, now: datetime, stale_after: timedelta) -> bool:
        return self.status in _LIVE and now - self.heartbeat_at > stale_after


@dataclass(frozen=True)
class ErrorsPage:
    #: how many rows failed so far
    total: int
    offset: int
    items: list[RowResult]
