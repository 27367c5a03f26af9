"""The talent and organisation spreadsheet formats: one row is one talent, or one
organisation with its contacts and platforms (described for people in
``docs/import-format.md``)."""

from __future__ import annotations

from boyin_registry.imports.columns import Column, Layout, key_column
from boyin_shared.api.registry import ImportKind

#: contacts, platforms and team members a row holds (numbered columns, 1 to this)
SLOTS = 3


def _numbered(stem: str, zh: str, en: str, parts: tuple[tuple[str, str, str], ...]) -> list[Column]:
    return [
        Column(f"{stem}_{i}_{part}", f"{zh}{i}{part_zh}", f"{en} {i} {part_en}")
        for i in range(1, SLOTS + 1)
        for part, part_zh, part_en in parts
    ]


def _bilingual(key: str, zh: str, en: str, note_zh: str = "", note_en: str = "") -> list[Column]:
    return [
        Column(f"{key}_zh", f"{zh}（中文）", f"{en} (zh)", note_zh, note_en),
        Column(f"{key}_en", f"{zh}（英文）", f"{en} (en)"),
    ]


_TAXONOMY = Column(
    "taxonomy_codes",
    "产业分类代码",
    "Taxonomy codes",
    "多个用 ; ； , ， 、 分隔",
    "several separated by ; or ,",
)
_CONTACT_PARTS = (
    ("name", "姓名", "name"),
    ("email", "邮箱", "e-mail"),
    ("phone", "电话", "phone"),
    ("role", "职务", "role"),
)

ORGANISATIONS = Layout(
    ImportKind.ORGANISATIONS,
    (
        key_column("单位", "organisation"),
        *_bilingual("name", "单位名称", "Name", "中英文至少填一项", "Chinese, English or both"),
        Column(
            "kind",
            "单位类型",
            "Kind",
            "高校、科研院所、新型研发机构、企业、事业单位、孵化器园区、投资机构（或其代码）",
            "UNIVERSITY, RESEARCH_INSTITUTE, NEW_RD_INSTITUTION, ENTERPRISE, "
            "PUBLIC_INSTITUTION, INCUBATOR_PARK, INVESTOR",
            required=True,
        ),
        Column(
            "district_code",
            "所在区县代码",
            "District code",
            "如 500103",
            "e.g. 500103",
            required=True,
        ),
        Column(
            "credit_code",
            "统一社会信用代码",
            "Credit code",
            "18 位",
            "the unified social credit code, 18 characters",
            required=True,
        ),
        _TAXONOMY,
        *_bilingual("description", "单位简介", "Description"),
        *_numbered(
            "platform",
            "平台",
            "Platform",
            (("level", "级别", "level"), ("name", "名称", "name")),
        ),
        *_numbered("contact", "联系人", "Contact", _CONTACT_PARTS),
        Column(
            "organisation_id",
            "单位编号",
            "Organisation ID",
            "导出时填写，导入时忽略",
            "export only",
            export_only=True,
        ),
    ),
    "单位",
    "Organisations",
    "organisation",
)

TALENTS = Layout(
    ImportKind.TALENTS,
    (
        key_column("人才", "talent"),
        *_bilingual("name", "姓名", "Name", "中英文至少填一项", "Chinese, English or both"),
        Column(
            "degree",
            "学历",
            "Degree",
            "博士、在读博士、博士后、在站博士后（或其代码）",
            "PHD, PHD_CANDIDATE, POSTDOC, POSTDOC_IN_STATION",
            required=True,
        ),
        *_bilingual("field", "研究领域", "Field", "中英文至少填一项", "either or both"),
        *_bilingual("institution", "所在机构", "Institution", "中英文至少填一项", "either or both"),
        Column(
            "country", "所在国家", "Country", "两位字母代码，如 DE", "two letters, e.g. DE", True
        ),
        Column("location", "所在城市", "Location"),
        Column(
            "timezone",
            "时区",
            "Time zone",
            "如 Europe/Berlin",
            "e.g. Europe/Berlin",
            required=True,
        ),
        Column("languages", "语言", "Languages", "如 zh; en", "e.g. zh; en"),
        Column("contact_name", "联系人姓名", "Contact name", required=True),
        Column(
            "contact_email",
            "电子邮箱",
            "Contact e-mail",
            "每位人才唯一",
            "one talent per address",
            required=True,
        ),
        Column("contact_phone", "电话", "Contact phone"),
        Column("contact_role", "联系人职务", "Contact role"),
        *_numbered(
            "team", "团队成员", "Team member", (("name", "姓名", "name"), ("role", "角色", "role"))
        ),
        _TAXONOMY,
        Column(
            "consent_notice_version",
            "告知书版本",
            "Notice version",
            "本人已同意的个人信息告知书版本（新登记的人才必填）",
            "the privacy notice version the person agreed to (new talents)",
            required=True,
        ),
        Column(
            "consent_purposes",
            "同意的用途",
            "Consent purposes",
            "REGISTRATION; MATCHING; CONTACT_AFTER_MUTUAL_MATCH（新登记的人才必须全部同意）",
            "REGISTRATION; MATCHING; CONTACT_AFTER_MUTUAL_MATCH (all, for new talents)",
            required=True,
        ),
        Column(
            "talent_id",
            "人才编号",
            "Talent ID",
            "导出时填写，导入时忽略",
            "export only",
            export_only=True,
        ),
    ),
    "人才",
    "Talents",
    "talent",
)


def column_of(path: str, layout: Layout, slots: dict[str, list[int]]) -> str | None:
    """The column a validation field path (after the row prefix) points at; ``slots[list]``
    is the numbered columns each item of a list (``contacts``, ``platforms``, ``team``) was
    read from."""
    head, _, rest = path.partition(".")
    part, _, _ = rest.partition(".")
    if head in layout.by_key:
        return head
    if head in ("name", "description", "field", "institution"):
        return f"{head}_{part or 'zh'}"
    if head in ("contact", "consent"):
        found = f"{head}_{part or ('email' if head == 'contact' else 'purposes')}"
        return found if found in layout.by_key else None
    stems = {"contacts": "contact", "platforms": "platform", "team": "team"}
    if head in stems:
        index, _, what = rest.partition(".")
        taken = slots.get(head, [])
        if index.isdigit() and int(index) < len(taken):
            return f"{stems[head]}_{taken[int(index)]}_{what or 'name'}"
        return f"{stems[head]}_1_name"
    if head.startswith("taxonomy_codes"):
        return "taxonomy_codes"
    return None
