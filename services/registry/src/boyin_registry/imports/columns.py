"""The spreadsheet formats (:class:`Layout`): their columns and the values cells may name.

In the demand format one row is one demand; the talent and organisation formats are
:mod:`boyin_registry.imports.profile_columns`. Every column has a Chinese and an English header and either is
accepted, compared without case, spaces or the width of brackets (``标题(中文)`` matches
``标题（中文）``). The format is described for people in ``docs/import-format.md``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, fields
from enum import StrEnum
from functools import cached_property
from typing import TypeVar

from boyin_registry.demands.domain import DETAILS_OF
from boyin_shared.api.registry import (
    Channel,
    CooperationMode,
    Criterion,
    Degree,
    ImportKind,
    IpStatus,
    OrganisationKind,
    PlatformLevel,
    Stage,
    WorkMode,
)
from boyin_shared.api.registry.names import (
    COOPERATION_MODES,
    CRITERIA,
    DEGREES,
    STAGES,
    WORK_MODES,
)

#: each side of the fair has six criteria and a demand claims each at most once
MAX_CLAIMS = 6
#: what a cell starting with one of these becomes in a spreadsheet program: a formula
FORMULA_START = ("=", "+", "-", "@")


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


def key_column(what_zh: str, what_en: str) -> Column:
    """The first column of every format: the importer's own key of the row."""
    return Column(
        "external_ref",
        "外部编号",
        "External ref",
        f"本单位自己的行编号，重复导入时据此更新{what_zh}而不重复创建",
        f"your own row id; re-imports update the {what_en} by it and never duplicate",
        required=True,
    )


def normalised(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).replace("\ufeff", "")
    return re.sub(r"\s+", "", folded).casefold()


@dataclass(frozen=True)
class Layout:
    """One kind of import file: its columns (in the order files are written) and the name
    of the sheet exports write them in."""

    kind: ImportKind
    columns: tuple[Column, ...]
    sheet_zh: str
    sheet_en: str
    #: the name downloads are saved under (``{name}-import-template.xlsx``)
    name: str

    @cached_property
    def by_key(self) -> dict[str, Column]:
        return {c.key: c for c in self.columns}

    @cached_property
    def import_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if not c.export_only)

    @cached_property
    def headers(self) -> dict[str, tuple[str, str]]:
        """Normalised header -> (column key, the language it is written in)."""
        return {
            normalised(name): (c.key, lang)
            for c in self.columns
            for lang, name in (("key", c.key), ("en", c.en), ("zh", c.zh))
        }

    def sheet_name(self, lang: str) -> str:
        return self.sheet_zh if lang == "zh" else self.sheet_en


_DEMAND_COLUMNS: tuple[Column, ...] = (
    key_column("需求", "demand"),
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
DEMANDS = Layout(ImportKind.DEMANDS, _DEMAND_COLUMNS, "需求", "Demands", "demand")
#: every channel's detail fields, each a column of the same name
DETAIL_KEYS: tuple[str, ...] = tuple(
    dict.fromkeys(f.name for cls in DETAILS_OF.values() for f in fields(cls))
)
DETAIL_SET = frozenset(DETAIL_KEYS)


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
    IpStatus: {"NONE": "无", "FILED": "已申请", "GRANTED": "已授权", "LICENSED": "已许可"},
    Stage: {m.value: n.zh for m, n in STAGES.items()},
    CooperationMode: {m.value: n.zh for m, n in COOPERATION_MODES.items()},
    WorkMode: {m.value: n.zh for m, n in WORK_MODES.items()},
    Degree: {m.value: n.zh for m, n in DEGREES.items()},
    Criterion: {c.value: info.zh for c, info in CRITERIA.items()},
    OrganisationKind: {
        "UNIVERSITY": "高校",
        "RESEARCH_INSTITUTE": "科研院所",
        "NEW_RD_INSTITUTION": "新型研发机构",
        "ENTERPRISE": "企业",
        "PUBLIC_INSTITUTION": "事业单位",
        "INCUBATOR_PARK": "孵化器园区",
        "INVESTOR": "投资机构",
    },
    PlatformLevel: {"NATIONAL": "国家级", "PROVINCIAL": "省部级", "MUNICIPAL": "市级"},
}


def choice(kind: type[E], text: str) -> E | None:
    """The member ``text`` names: its code (any case, ``-`` or space for ``_``) or Chinese name."""
    found = _named(kind, text)
    return found if isinstance(found, kind) else None


@functools.lru_cache(maxsize=4096)
def _named(kind: type[StrEnum], text: str) -> StrEnum | None:
    """:func:`choice`, remembered: a file names the same few members in thousands of rows."""
    plain = unicodedata.normalize("NFKC", text).strip()
    code = re.sub(r"[\s-]+", "_", plain).upper()
    labels = LABELS.get(kind, {})
    for member in kind:
        if member.value == code or labels.get(member.value) == plain:
            return member
    return None
