"""Demand spreadsheets: the column format, reading CSV and XLSX, writing them back.

Pure: bytes in, values out, and values in, bytes out; nothing here touches a store.
One row is one demand. Every column has a Chinese and an English header and either is
accepted, compared without case, spaces or the width of brackets (``标题(中文)`` matches
``标题（中文）``). The format is described for people in ``docs/import-format.md``.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from datetime import time as day_start
from enum import StrEnum
from typing import TypeVar

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

from boyin_registry.documents import details_state
from boyin_registry.domain.demands import (
    DETAILS_OF,
    Channel,
    CooperationMode,
    Demand,
    Details,
    IpStatus,
    JobSeeking,
    ProjectCooperation,
    ProjectLanding,
    Stage,
    Status,
    TalentRecruitment,
    WorkMode,
)
from boyin_registry.domain.eligibility import CRITERIA, Criterion
from boyin_registry.domain.profiles import Degree
from boyin_shared.errors import BoyinError, FieldError, Message

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000
#: each side of the fair has six criteria and a demand claims each at most once
MAX_CLAIMS = 6
MAX_KEY_LENGTH = 100
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_LIST_SEPARATORS = re.compile(r"[;；,，、\n]")
_FORMULA_START = ("=", "+", "-", "@")
#: rows read before giving up: the data rows allowed, a header and title rows above it
_GRID_LIMIT = MAX_ROWS + 11


# -- the columns ------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    note_zh: str = ""
    note_en: str = ""
    required: bool = False
    #: written by exports for people to read; recognised and ignored on import
    export_only: bool = False

    def header(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


def _claim_columns() -> list[Column]:
    out = []
    for i in range(1, MAX_CLAIMS + 1):
        out.append(
            Column(
                f"claim_{i}_criterion",
                f"资格条件{i}",
                f"Claim {i} criterion",
                "资格条件代码（见“资格条件”）",
                "criterion code (see the criteria)",
            )
        )
        out.append(
            Column(
                f"claim_{i}_evidence",
                f"资格依据{i}",
                f"Claim {i} evidence",
                "该资格条件的依据说明",
                "evidence for that criterion",
            )
        )
    return out


COLUMNS: tuple[Column, ...] = (
    Column(
        "external_ref",
        "外部编号",
        "External ref",
        "本单位自己的行编号，重复导入时据此更新而不重复创建",
        "your own row id; re-imports update by it and never duplicate",
        required=True,
    ),
    Column(
        "channel",
        "渠道",
        "Channel",
        "项目合作、求职、项目落地、人才招聘（或其代码）",
        "PROJECT_COOPERATION, JOB_SEEKING, PROJECT_LANDING, TALENT_RECRUITMENT",
        required=True,
    ),
    Column(
        "owner_id",
        "主体编号",
        "Owner ID",
        "单位编号（org_…）或人才编号（tal_…）",
        "organisation id (org_…) or talent id (tal_…)",
        required=True,
    ),
    Column(
        "title_zh", "标题（中文）", "Title (zh)", "中英文至少填一项", "Chinese, English or both"
    ),
    Column("title_en", "标题（英文）", "Title (en)"),
    Column(
        "description_zh", "描述（中文）", "Description (zh)", "中英文至少填一项", "either or both"
    ),
    Column("description_en", "描述（英文）", "Description (en)"),
    Column(
        "taxonomy_codes",
        "产业分类代码",
        "Taxonomy codes",
        "多个用 ; ； , ， 、 分隔",
        "several separated by ; or ,",
    ),
    Column("keywords", "关键词", "Keywords", "多个用分号或逗号分隔", "separated by ; or ,"),
    Column("editions", "届次", "Editions", "如 CQ2026", "e.g. CQ2026"),
    *_claim_columns(),
    Column(
        "stage",
        "项目阶段",
        "Stage",
        "项目合作：创意、原型、中试、产品",
        "project cooperation: IDEA, PROTOTYPE, PILOT, PRODUCT",
    ),
    Column("trl", "技术成熟度", "TRL", "项目合作：1 至 9", "project cooperation: 1 to 9"),
    Column("ip_status", "知识产权状态", "IP status", "项目合作", "project cooperation"),
    Column(
        "sought", "寻求的合作方式", "Sought", "项目合作：可多选", "project cooperation: one or more"
    ),
    Column(
        "funding_sought_wan",
        "融资需求（万元）",
        "Funding sought (10k CNY)",
        "项目合作",
        "project cooperation",
    ),
    Column(
        "team_size", "团队人数", "Team size", "项目合作，默认 1", "project cooperation, default 1"
    ),
    Column("desired_role", "期望岗位", "Desired role", "求职", "job seeking"),
    Column("work_mode", "工作方式", "Work mode", "求职、人才招聘", "job seeking, recruitment"),
    Column("earliest_start", "最早到岗日期", "Earliest start", "求职：YYYY-MM-DD", "job seeking"),
    Column("salary_min_wan", "薪酬下限（万元）", "Salary min (10k CNY)", "求职", "job seeking"),
    Column("salary_max_wan", "薪酬上限（万元）", "Salary max (10k CNY)", "求职", "job seeking"),
    Column(
        "cooperation_modes",
        "合作方式",
        "Cooperation modes",
        "项目落地：可多选",
        "project landing: one or more",
    ),
    Column("budget_wan", "预算（万元）", "Budget (10k CNY)", "项目落地", "project landing"),
    Column("facilities", "场地设施", "Facilities", "项目落地", "project landing"),
    Column("policies", "支持政策", "Policies", "项目落地", "project landing"),
    Column("wanted_stage", "期望项目阶段", "Wanted stage", "项目落地", "project landing"),
    Column("positions", "招聘人数", "Positions", "人才招聘", "talent recruitment"),
    Column("degree_required", "学历要求", "Degree required", "人才招聘", "talent recruitment"),
    Column("package", "薪酬待遇", "Package", "人才招聘", "talent recruitment"),
    Column(
        "location_district",
        "工作地点（区县代码）",
        "Location (district code)",
        "人才招聘：区县代码，如 500103",
        "recruitment: district code",
    ),
    Column("expires_on", "截止日期", "Expires on", "YYYY-MM-DD，不早于今天", "not in the past"),
    Column("submit", "提交审核", "Submit", "是/否，默认否（保存为草稿）", "yes/no, default no"),
    Column(
        "demand_id",
        "需求编号",
        "Demand ID",
        "导出时填写，导入时忽略",
        "export only",
        export_only=True,
    ),
    Column("status", "状态", "Status", "导出时填写，导入时忽略", "export only", export_only=True),
)
BY_KEY: dict[str, Column] = {c.key: c for c in COLUMNS}
IMPORT_COLUMNS: tuple[Column, ...] = tuple(c for c in COLUMNS if not c.export_only)
#: every channel's detail fields, each a column of the same name
DETAIL_KEYS: tuple[str, ...] = tuple(
    dict.fromkeys(f.name for cls in DETAILS_OF.values() for f in fields(cls))
)
_DETAIL_SET = frozenset(DETAIL_KEYS)


def _normalised(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).replace("\ufeff", "")
    return re.sub(r"\s+", "", folded).casefold()


#: normalised header -> (column key, language it is written in)
_HEADERS: dict[str, tuple[str, str]] = {
    _normalised(name): (c.key, lang)
    for c in COLUMNS
    for lang, name in (("key", c.key), ("en", c.en), ("zh", c.zh))
}


# -- allowed values -----------------------------------------------------------------------

E = TypeVar("E", bound=StrEnum)

#: Chinese names accepted (and documented) beside each code
LABELS: dict[type[StrEnum], dict[str, str]] = {
    Channel: {
        "PROJECT_COOPERATION": "项目合作",
        "JOB_SEEKING": "求职",
        "PROJECT_LANDING": "项目落地",
        "TALENT_RECRUITMENT": "人才招聘",
    },
    Stage: {"IDEA": "创意", "PROTOTYPE": "原型", "PILOT": "中试", "PRODUCT": "产品"},
    IpStatus: {"NONE": "无", "FILED": "已申请", "GRANTED": "已授权", "LICENSED": "已许可"},
    CooperationMode: {
        "TECH_TRANSFER": "技术转让",
        "JOINT_RD": "联合研发",
        "INVESTMENT": "投资",
        "INCUBATION": "孵化",
        "OFFSHORE_RD": "离岸研发",
    },
    WorkMode: {"FULL_TIME": "全职", "PART_TIME": "兼职", "FLEXIBLE": "柔性"},
    Degree: {
        "PHD": "博士",
        "PHD_CANDIDATE": "在读博士",
        "POSTDOC": "博士后",
        "POSTDOC_IN_STATION": "在站博士后",
    },
    Criterion: {c.value: info.zh for c, info in CRITERIA.items()},
}


def choice(kind: type[E], text: str) -> E | None:
    """The member ``text`` names: its code (any case, ``-`` or space for ``_``) or Chinese name."""
    plain = unicodedata.normalize("NFKC", text).strip()
    code = re.sub(r"[\s-]+", "_", plain).upper()
    labels = LABELS.get(kind, {})
    for member in kind:
        if member.value == code or labels.get(member.value) == plain:
            return member
    return None


def _allowed(kind: type[StrEnum]) -> tuple[str, str]:
    labels = LABELS.get(kind, {})
    if kind is Criterion:
        return "、".join(m.value for m in kind), ", ".join(m.value for m in kind)
    zh = "、".join(f"{labels.get(m.value, m.value)}（{m.value}）" for m in kind)
    return zh, ", ".join(m.value for m in kind)


# -- file-level errors --------------------------------------------------------------------


def _file_error(code: str, zh: str, en: str, *, fields: Sequence[FieldError] = ()) -> BoyinError:
    return BoyinError(code=code, message=Message(zh, en), fields=list(fields), status=422)


def too_large() -> BoyinError:
    error = _file_error(
        "FILE_TOO_LARGE",
        f"文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB，请拆分后分批导入",
        f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split it",
    )
    error.status = 413
    return error


def _empty() -> BoyinError:
    return _file_error(
        "EMPTY_FILE", "文件为空或没有表头行", "the file is empty or has no header row"
    )


def _not_a_spreadsheet(why_zh: str, why_en: str) -> BoyinError:
    return _file_error(
        "NOT_A_SPREADSHEET",
        f"无法读取文件：{why_zh}。请上传 CSV 或 XLSX 文件",
        f"cannot read the file: {why_en}. Upload a CSV or XLSX file",
    )


# -- reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    #: the row's number as the spreadsheet shows it (the header is usually row 1)
    number: int
    #: column key -> the cell's text, trimmed; empty cells are left out
    cells: Mapping[str, str]

    @property
    def key(self) -> str | None:
        return self.cells.get("external_ref")


@dataclass(frozen=True)
class Sheet:
    format: str
    #: the language most headers are written in: names missing columns in errors
    language: str
    #: column key -> the header as the file writes it
    headers: Mapping[str, str]
    #: headers that name no column: their cells are not read
    ignored: tuple[str, ...]
    rows: tuple[Row, ...]

    def header(self, key: str) -> str:
        return self.headers.get(key) or BY_KEY[key].header(self.language)


Grid = list[tuple[int, list[str]]]


def read_sheet(data: bytes) -> Sheet:
    """Read a CSV or XLSX file of demands; raises one bilingual error if the file is unusable."""
    if len(data) > MAX_FILE_BYTES:
        raise too_large()
    if not data.strip():
        raise _empty()
    fmt, grid = _grid(data)
    if not grid:
        raise _empty()
    at = _header_index(grid)
    (_, header_cells), body = grid[at], grid[at + 1 :]
    positions, headers, ignored, language = _match_headers(header_cells)
    rows = _rows(body, positions, unescape=fmt == "csv")
    _check_keys(rows, headers.get("external_ref", "external_ref"))
    return Sheet(fmt, language, headers, ignored, tuple(rows))


def _grid(data: bytes) -> tuple[str, Grid]:
    if data.startswith(b"PK\x03\x04"):
        return "xlsx", _xlsx_grid(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _file_error(
            "OLD_EXCEL_FORMAT",
            "不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV（UTF-8）",
            "old Excel (.xls) files are not supported; save as .xlsx or CSV (UTF-8)",
        )
    return "csv", _csv_grid(_decode(data))


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        encodings: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise _not_a_spreadsheet(
        "既不是 XLSX，也不是 UTF-8 或 GB18030 编码的 CSV",
        "neither XLSX nor a CSV in UTF-8 or GB18030",
    )


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_grid(text: str) -> Grid:
    grid: Grid = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        for number, cells in enumerate(reader, start=1):
            if any(c.strip() for c in cells):
                grid.append((number, cells))
            if len(grid) > _GRID_LIMIT:
                break
    except csv.Error as exc:
        raise _not_a_spreadsheet("CSV 格式错误", f"malformed CSV ({exc})") from exc
    return grid


def _xlsx_grid(data: bytes) -> Grid:
    grid: Grid = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                rows = book.worksheets[0].iter_rows(values_only=True)
                for number, values in enumerate(rows, start=1):
                    cells = [cell_text(v) for v in values]
                    if any(c.strip() for c in cells):
                        grid.append((number, cells))
                    if len(grid) > _GRID_LIMIT:
                        break
            finally:
                book.close()
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise _not_a_spreadsheet("XLSX 文件已损坏", f"damaged XLSX file ({exc})") from exc
    return grid


def cell_text(value: object) -> str:
    """A cell's value as the text a person would have typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        if value.time() == day_start():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _header_index(grid: Grid) -> int:
    """Where the header row is: the first of the first rows naming every required column
    (districts often put a title row above it), else the first row."""
    required = {c.key for c in IMPORT_COLUMNS if c.required}
    for index, (_, cells) in enumerate(grid[:10]):
        found = {_HEADERS.get(_normalised(c), ("", ""))[0] for c in cells}
        if required <= found:
            return index
    return 0


def _match_headers(
    cells: Sequence[str],
) -> tuple[dict[str, int], dict[str, str], tuple[str, ...], str]:
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    ignored: list[str] = []
    languages = {"zh": 0, "en": 0, "key": 0}
    duplicates: list[FieldError] = []
    for position, raw in enumerate(cells):
        written = raw.strip()
        if not written:
            continue
        found = _HEADERS.get(_normalised(written))
        if found is None:
            ignored.append(written)
            continue
        key, lang = found
        languages[lang] += 1
        if key in positions:
            duplicates.append(_duplicate_column(key, headers[key], written))
            continue
        positions[key] = position
        headers[key] = written
    if duplicates:
        raise _file_error(
            "DUPLICATE_COLUMN", "同一列出现了不止一次", "a column appears twice", fields=duplicates
        )
    _check_required(positions)
    language = "en" if languages["en"] > languages["zh"] else "zh"
    return positions, headers, tuple(ignored), language


def _duplicate_column(key: str, first: str, again: str) -> FieldError:
    return FieldError(
        f"columns.{key}",
        "DUPLICATE_COLUMN",
        Message(f"“{again}”与“{first}”是同一列", f"“{again}” is the same column as “{first}”"),
    )


def _check_required(positions: Mapping[str, int]) -> None:
    missing = [c for c in IMPORT_COLUMNS if c.required and c.key not in positions]
    if missing:
        raise _file_error(
            "MISSING_COLUMNS",
            "缺少必需的列：" + "、".join(c.zh for c in missing),
            "missing required columns: " + ", ".join(c.en for c in missing),
            fields=[
                FieldError(
                    f"columns.{c.key}",
                    "MISSING_COLUMN",
                    Message(
                        f"缺少列“{c.zh}”（或“{c.en}”）", f"missing column “{c.en}” (or “{c.zh}”)"
                    ),
                )
                for c in missing
            ],
        )


def _rows(body: Grid, positions: Mapping[str, int], *, unescape: bool) -> list[Row]:
    if len(body) > MAX_ROWS:
        raise _file_error(
            "TOO_MANY_ROWS",
            f"一次最多导入 {MAX_ROWS} 行，请拆分文件",
            f"at most {MAX_ROWS} rows per file; split it",
        )
    wanted = {k: p for k, p in positions.items() if not BY_KEY[k].export_only}
    rows = []
    for number, cells in body:
        values = {}
        for key, position in wanted.items():
            text = cells[position].strip() if position < len(cells) else ""
            if unescape and len(text) > 1 and text[0] == "'" and text[1] in _FORMULA_START:
                text = text[1:]
            if text:
                values[key] = text
        if values:
            rows.append(Row(number, values))
    return rows


def _check_keys(rows: Sequence[Row], header: str) -> None:
    first: dict[str, int] = {}
    clashes: list[FieldError] = []
    for row in rows:
        if row.key is None:
            continue
        if row.key in first:
            clashes.append(
                FieldError(
                    f"rows.{row.number}.external_ref",
                    "DUPLICATE_KEY",
                    Message(
                        f"第 {row.number} 行的“{header}” {row.key} 与第 {first[row.key]} 行重复",
                        f"row {row.number}: “{header}” {row.key} repeats row {first[row.key]}",
                    ),
                )
            )
        else:
            first[row.key] = row.number
    if clashes:
        raise _file_error(
            "DUPLICATE_KEYS",
            f"文件中有 {len(clashes)} 行的外部编号重复，未导入任何内容",
            f"{len(clashes)} rows repeat another row's external ref; nothing was imported",
            fields=clashes[:200],
        )


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
    return f"details.{key}" if key in _DETAIL_SET else key


class _Cells:
    """Reads one row's cells into values, collecting the cells it cannot read."""

    def __init__(self, row: Row, prefix: str) -> None:
        self.cells = row.cells
        self.prefix = prefix
        self.problems: list[FieldError] = []

    def problem(self, key: str, code: str, zh: str, en: str) -> None:
        self.problems.append(FieldError(self.prefix + path_of(key), code, Message(zh, en)))

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
        plain = _normalised(value)
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


def _project_cooperation(c: _Cells) -> ProjectCooperation:
    return ProjectCooperation(
        stage=c.choice("stage", Stage, required=True) or Stage.IDEA,
        trl=_or(c.integer("trl", required=True), 1),
        ip_status=c.choice("ip_status", IpStatus, required=True) or IpStatus.NONE,
        sought=c.choices("sought", CooperationMode),
        funding_sought_wan=c.integer("funding_sought_wan"),
        team_size=_or(c.integer("team_size"), 1),
    )


def _job_seeking(c: _Cells) -> JobSeeking:
    return JobSeeking(
        desired_role=c.text("desired_role") or "",
        work_mode=c.choice("work_mode", WorkMode, required=True) or WorkMode.FULL_TIME,
        earliest_start=c.day("earliest_start"),
        salary_min_wan=c.integer("salary_min_wan"),
        salary_max_wan=c.integer("salary_max_wan"),
    )


def _project_landing(c: _Cells) -> ProjectLanding:
    return ProjectLanding(
        cooperation_modes=c.choices("cooperation_modes", CooperationMode),
        budget_wan=c.integer("budget_wan"),
        facilities=c.text("facilities"),
        policies=c.text("policies"),
        wanted_stage=c.choice("wanted_stage", Stage),
    )


def _talent_recruitment(c: _Cells) -> TalentRecruitment:
    return TalentRecruitment(
        positions=_or(c.integer("positions", required=True), 1),
        degree_required=c.choice("degree_required", Degree, required=True) or Degree.PHD,
        work_mode=c.choice("work_mode", WorkMode, required=True) or WorkMode.FULL_TIME,
        package=c.text("package"),
        location_district=c.text("location_district"),
    )


_DETAILS_READERS: dict[Channel, Callable[[_Cells], Details]] = {
    Channel.PROJECT_COOPERATION: _project_cooperation,
    Channel.JOB_SEEKING: _job_seeking,
    Channel.PROJECT_LANDING: _project_landing,
    Channel.TALENT_RECRUITMENT: _talent_recruitment,
}


def _details(c: _Cells, channel: Channel) -> Details:
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


def _claims(c: _Cells) -> tuple[ClaimCells, ...]:
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


def _key(c: _Cells) -> str | None:
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
    c = _Cells(row, prefix)
    key = _key(c)
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
    if head in BY_KEY:
        return head
    if head in ("title", "description"):
        return f"{head}_{rest.partition('.')[0] or 'zh'}"
    if head in ("taxonomy_codes", "keywords", "editions", "expires_on"):
        return head
    if head == "details":
        name = rest.partition(".")[0]
        return name if name in _DETAIL_SET else "channel"
    if head == "claims":
        index, _, part = rest.partition(".")
        if index.isdigit() and int(index) < len(claim_slots):
            return f"claim_{claim_slots[int(index)]}_{part or 'criterion'}"
        return "claim_1_criterion"
    return None


# -- writing ------------------------------------------------------------------------------

Cell = str | int | None


def _listed(values: Iterable[str]) -> str:
    return "; ".join(values)


def _detail_cell(value: object) -> Cell:
    if isinstance(value, list):
        return _listed(str(v) for v in value)
    if value is None or isinstance(value, int | str):
        return value
    return str(value)


def yes_no(value: bool, lang: str) -> str:
    if lang == "zh":
        return "是" if value else "否"
    return "yes" if value else "no"


def demand_cells(demand: Demand, key: str, lang: str) -> dict[str, Cell]:
    """One demand as a row of the import format (``key`` goes in the external ref column)."""
    c = demand.content
    cells: dict[str, Cell] = {
        "external_ref": key,
        "channel": demand.channel.value,
        "owner_id": demand.owner_id,
        "title_zh": c.title.zh,
        "title_en": c.title.en,
        "description_zh": c.description.zh,
        "description_en": c.description.en,
        "taxonomy_codes": _listed(c.taxonomy_codes),
        "keywords": _listed(c.keywords),
        "editions": _listed(c.editions),
        "expires_on": c.expires_on.isoformat() if c.expires_on else None,
        "submit": yes_no(demand.status not in (Status.DRAFT, Status.RETURNED), lang),
        "demand_id": demand.id,
        "status": demand.status.value,
    }
    for slot, claim in enumerate(c.claims[:MAX_CLAIMS], start=1):
        cells[f"claim_{slot}_criterion"] = claim.criterion.value
        cells[f"claim_{slot}_evidence"] = claim.evidence
    for name, value in details_state(c.details).items():
        cells[name] = _detail_cell(value)
    return cells


def _csv_safe(value: Cell) -> str:
    """Text that a spreadsheet program will not run as a formula (undone on import)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) and isinstance(value, str) else text


def write_csv(rows: Iterable[Mapping[str, Cell]], lang: str, *, export: bool = False) -> bytes:
    """UTF-8 with a byte order mark, so Excel opens the Chinese text correctly."""
    columns = COLUMNS if export else IMPORT_COLUMNS
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.header(lang) for c in columns])
    for row in rows:
        writer.writerow([_csv_safe(row.get(c.key)) for c in columns])
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


def _xlsx_cell(sheet: object, value: Cell) -> object:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever it starts with
    return cell


def write_xlsx(
    rows: Iterable[Mapping[str, Cell]], lang: str, *, export: bool = False, notes: bool = False
) -> bytes:
    columns = COLUMNS if export else IMPORT_COLUMNS
    book = Workbook(write_only=True)
    sheet = book.create_sheet("需求" if lang == "zh" else "Demands")
    sheet.freeze_panes = "A2"
    sheet.append([c.header(lang) for c in columns])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, row.get(c.key)) for c in columns])
    if notes:
        _notes_sheet(book, lang)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _notes_sheet(book: Workbook, lang: str) -> None:
    zh = lang == "zh"
    sheet = book.create_sheet("说明" if zh else "Notes")
    sheet.append(
        ["列名", "英文列名", "必填", "说明"] if zh else ["Column", "Chinese", "Required", "Notes"]
    )
    for c in IMPORT_COLUMNS:
        other = c.en if zh else c.zh
        note = c.note_zh if zh else c.note_en
        sheet.append([c.header(lang), other, yes_no(c.required, lang), note])
    sheet.append([])
    sheet.append(["取值" if zh else "Allowed values"])
    for kind in LABELS:
        for member in kind:
            label = LABELS[kind].get(member.value, "")
            sheet.append([kind.__name__, member.value, label])


def template(fmt: str, lang: str) -> bytes:
    """An empty import file: the header row (and, in XLSX, a sheet of notes)."""
    if fmt == "csv":
        return write_csv([], lang)
    return write_xlsx([], lang, notes=True)


def write(fmt: str, rows: Iterable[Mapping[str, Cell]], lang: str) -> bytes:
    """An export: the import format plus the read-only demand id and status columns."""
    if fmt == "csv":
        return write_csv(rows, lang, export=True)
    return write_xlsx(rows, lang, export=True)
