"""One spreadsheet row's cells read into the typed values of a demand.

Pure. A cell that cannot be read is a problem at the field path of its column, so errors
point at the cell a person has to fix (:func:`column_of` goes the other way).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import date
from enum import StrEnum

from boyin_registry.demands.domain import (
    DETAILS_OF,
    Details,
    JobSeeking,
    ProjectCooperation,
    ProjectLanding,
    TalentRecruitment,
)
from boyin_registry.imports.columns import (
    DEMANDS,
    DETAIL_KEYS,
    DETAIL_SET,
    LABELS,
    MAX_CLAIMS,
    E,
    choice,
    normalised,
)
from boyin_registry.imports.spreadsheets import Row
from boyin_shared.api.registry import (
    Channel,
    CooperationMode,
    Criterion,
    Degree,
    IpStatus,
    Stage,
    WorkMode,
)
from boyin_shared.errors import FieldError, Message

MAX_KEY_LENGTH = 100
_LIST_SEPARATORS = re.compile(r"[;；,，、\n]")


def _allowed(kind: type[StrEnum]) -> tuple[str, str]:
    labels = LABELS.get(kind, {})
    if kind is Criterion:
        return "、".join(m.value for m in kind), ", ".join(m.value for m in kind)
    zh = "、".join(f"{labels.get(m.value, m.value)}（{m.value}）" for m in kind)
    return zh, ", ".join(m.value for m in kind)


# -- one row's cells as typed values ------------------------------------------------------


@dataclass(frozen=True)
class ClaimCells:
    #: which claim columns (1 to MAX_CLAIMS) it came from
    slot: int
    criterion: str
    evidence: str | None


@dataclass(frozen=True)
class RowValues:
    """What a row says, read into the types of ``demand_content``; ``problems`` are cells
    that could not be read (field paths ``{prefix}{column key}`` or ``{prefix}details.…``)."""

    key: str | None
    channel: Channel | None
    owner_id: str | None
    title_zh: str | None
    title_en: str | None
    description_zh: str | None
    description_en: str | None
    taxonomy_codes: tuple[str, ...]
    keywords: tuple[str, ...]
    editions: tuple[str, ...]
    claims: tuple[ClaimCells, ...]
    #: None when the channel is missing or unknown
    details: Details | None
    expires_on: date | None
    submit: bool
    problems: tuple[FieldError, ...]


def path_of(key: str) -> str:
    """The field path (after the row prefix) a column's own problems are reported at."""
    return f"details.{key}" if key in DETAIL_SET else key


class Cells:
    """Reads one row's cells into values, collecting the cells it cannot read (at the
    field path ``paths`` gives a column key)."""

    def __init__(self, row: Row, prefix: str, paths: Callable[[str], str] = path_of) -> None:
        self.cells = row.cells
        self.prefix = prefix
        self.paths = paths
        self.problems: list[FieldError] = []

    def problem(self, key: str, code: str, zh: str, en: str) -> None:
        self.problems.append(FieldError(self.prefix + self.paths(key), code, Message(zh, en)))

    def text(self, key: str) -> str | None:
        return self.cells.get(key)

    def required(self, key: str) -> str | None:
        value = self.text(key)
        if value is None:
            self.problem(key, "REQUIRED", "此列必填", "this column is required")
        return value

    def choice(self, key: str, kind: type[E], *, required: bool = False) -> E | None:
        value = self.required(key) if required else self.text(key)
        if value is None:
            return None
        found = choice(kind, value)
        if found is None:
            zh, en = _allowed(kind)
            self.problem(
                key,
                "NOT_A_CHOICE",
                f"“{value}”不是允许的取值：{zh}",
                f"“{value}” is not one of: {en}",
            )
        return found

    def choices(self, key: str, kind: type[E]) -> tuple[E, ...]:
        out = []
        for item in self.items(key):
            found = choice(kind, item)
            if found is None:
                zh, en = _allowed(kind)
                self.problem(
                    key,
                    "NOT_A_CHOICE",
                    f"“{item}”不是允许的取值：{zh}",
                    f"“{item}” is not one of: {en}",
                )
            else:
                out.append(found)
        return tuple(dict.fromkeys(out))

    def integer(self, key: str, *, required: bool = False) -> int | None:
        value = self.required(key) if required else self.text(key)
        if value is None:
            return None
        plain = unicodedata.normalize("NFKC", value).strip()
        if re.fullmatch(r"-?\d{1,12}(\.0+)?", plain):
            return int(plain.split(".")[0])
        self.problem(
            key, "NOT_AN_INTEGER", f"“{value}”不是整数", f"“{value}” is not a whole number"
        )
        return None

    def day(self, key: str) -> date | None:
        value = self.text(key)
        if value is None:
            return None
        plain = unicodedata.normalize("NFKC", value).strip()
        found = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", plain)
        if found:
            try:
                return date(*(int(g) for g in found.groups()))
            except ValueError:
                pass
        self.problem(
            key,
            "NOT_A_DATE",
            f"“{value}”不是日期（YYYY-MM-DD）",
            f"“{value}” is not a YYYY-MM-DD date",
        )
        return None

    def items(self, key: str) -> tuple[str, ...]:
        value = self.text(key)
        if value is None:
            return ()
        parts = (p.strip() for p in _LIST_SEPARATORS.split(value))
        return tuple(p for p in parts if p)

    def flag(self, key: str) -> bool:
        value = self.text(key)
        if value is None:
            return False
        plain = normalised(value)
        if plain in ("yes", "y", "true", "1", "是", "提交", "✓"):
            return True
        if plain in ("no", "n", "false", "0", "否", "不提交"):
            return False
        self.problem(
            key, "NOT_YES_NO", f"“{value}”应为“是”或“否”", f"“{value}” should be yes or no"
        )
        return False


def _or(value: int | None, default: int) -> int:
    return default if value is None else value


def _project_cooperation(c: Cells) -> ProjectCooperation:
    return ProjectCooperation(
        stage=c.choice("stage", Stage, required=True) or Stage.IDEA,
        trl=_or(c.integer("trl", required=True), 1),
        ip_status=c.choice("ip_status", IpStatus, required=True) or IpStatus.NONE,
        sought=c.choices("sought", CooperationMode),
        funding_sought_wan=c.integer("funding_sought_wan"),
        team_size=_or(c.integer("team_size"), 1),
    )


def _job_seeking(c: Cells) -> JobSeeking:
    return JobSeeking(
        desired_role=c.text("desired_role") or "",
        work_mode=c.choice("work_mode", WorkMode, required=True) or WorkMode.FULL_TIME,
        earliest_start=c.day("earliest_start"),
        salary_min_wan=c.integer("salary_min_wan"),
        salary_max_wan=c.integer("salary_max_wan"),
    )


def _project_landing(c: Cells) -> ProjectLanding:
    return ProjectLanding(
        cooperation_modes=c.choices("cooperation_modes", CooperationMode),
        budget_wan=c.integer("budget_wan"),
        facilities=c.text("facilities"),
        policies=c.text("policies"),
        wanted_stage=c.choice("wanted_stage", Stage),
    )


def _talent_recruitment(c: Cells) -> TalentRecruitment:
    return TalentRecruitment(
        positions=_or(c.integer("positions", required=True), 1),
        degree_required=c.choice("degree_required", Degree, required=True) or Degree.PHD,
        work_mode=c.choice("work_mode", WorkMode, required=True) or WorkMode.FULL_TIME,
        package=c.text("package"),
        location_district=c.text("location_district"),
    )


_DETAILS_READERS: dict[Channel, Callable[[Cells], Details]] = {
    Channel.PROJECT_COOPERATION: _project_cooperation,
    Channel.JOB_SEEKING: _job_seeking,
    Channel.PROJECT_LANDING: _project_landing,
    Channel.TALENT_RECRUITMENT: _talent_recruitment,
}


def _details(c: Cells, channel: Channel) -> Details:
    own = {f.name for f in fields(DETAILS_OF[channel])}
    for key in DETAIL_KEYS:
        if key not in own and c.text(key) is not None:
            label = LABELS[Channel][channel.value]
            c.problem(
                key,
                "NOT_FOR_CHANNEL",
                f"“{label}”渠道不填写此列",
                f"this column is not used for {channel.value}",
            )
    return _DETAILS_READERS[channel](c)


def _claims(c: Cells) -> tuple[ClaimCells, ...]:
    out = []
    for slot in range(1, MAX_CLAIMS + 1):
        criterion = c.text(f"claim_{slot}_criterion")
        evidence = c.text(f"claim_{slot}_evidence")
        if criterion is None:
            if evidence is not None:
                c.problem(
                    f"claim_{slot}_criterion",
                    "REQUIRED",
                    "填写了依据，但缺少对应的资格条件",
                    "evidence is given without its criterion",
                )
            continue
        found = choice(Criterion, criterion)
        out.append(ClaimCells(slot, found.value if found else criterion, evidence))
    return tuple(out)


def key_of(c: Cells) -> str | None:
    """The row's key (its external ref), or None with a problem."""
    key = c.required("external_ref")
    if key is not None and len(key) > MAX_KEY_LENGTH:
        c.problem(
            "external_ref",
            "TOO_LONG",
            f"最多 {MAX_KEY_LENGTH} 个字符",
            f"at most {MAX_KEY_LENGTH} characters",
        )
        return None
    return key


def read_row(row: Row, prefix: str) -> RowValues:
    """Read one row's cells; field paths of its problems start with ``prefix``."""
    c = Cells(row, prefix)
    key = key_of(c)
    channel = c.choice("channel", Channel, required=True)
    owner_id = c.required("owner_id")
    return RowValues(
        key=key,
        channel=channel,
        owner_id=owner_id,
        title_zh=c.text("title_zh"),
        title_en=c.text("title_en"),
        description_zh=c.text("description_zh"),
        description_en=c.text("description_en"),
        taxonomy_codes=c.items("taxonomy_codes"),
        keywords=c.items("keywords"),
        editions=c.items("editions"),
        claims=_claims(c),
        details=_details(c, channel) if channel else None,
        expires_on=c.day("expires_on"),
        submit=c.flag("submit"),
        problems=tuple(c.problems),
    )


def column_of(path: str, claim_slots: Sequence[int]) -> str | None:
    """The column a field path (after the row prefix) points at; ``claim_slots[i]`` is the
    claim columns the ``i``-th claim was read from."""
    head, _, rest = path.partition(".")
    if head in DEMANDS.by_key:
        return head
    if head in ("title", "description"):
        return f"{head}_{rest.partition('.')[0] or 'zh'}"
    if head in ("taxonomy_codes", "keywords", "editions", "expires_on"):
        return head
    if head == "details":
        name = rest.partition(".")[0]
        return name if name in DETAIL_SET else "channel"
    if head == "claims":
        index, _, part = rest.partition(".")
        if index.isdigit() and int(index) < len(claim_slots):
            return f"claim_{claim_slots[int(index)]}_{part or 'criterion'}"
        return "claim_1_criterion"
    return None
