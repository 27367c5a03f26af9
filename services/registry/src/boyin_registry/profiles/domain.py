"""Who registers: organisations in Chongqing and talents (PhDs, postdocs and their teams)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from zoneinfo import available_timezones

from boyin_registry import credit_code
from boyin_registry.domain.common import Bilingual, Contact, Problems
from boyin_registry.reference import Reference


class OrganisationKind(StrEnum):
    UNIVERSITY = "UNIVERSITY"
    RESEARCH_INSTITUTE = "RESEARCH_INSTITUTE"
    NEW_RD_INSTITUTION = "NEW_RD_INSTITUTION"
    ENTERPRISE = "ENTERPRISE"
    PUBLIC_INSTITUTION = "PUBLIC_INSTITUTION"
    INCUBATOR_PARK = "INCUBATOR_PARK"
    INVESTOR = "INVESTOR"


class PlatformLevel(StrEnum):
    NATIONAL = "NATIONAL"
    PROVINCIAL = "PROVINCIAL"
    MUNICIPAL = "MUNICIPAL"


class Degree(StrEnum):
    PHD = "PHD"
    PHD_CANDIDATE = "PHD_CANDIDATE"
    POSTDOC = "POSTDOC"
    POSTDOC_IN_STATION = "POSTDOC_IN_STATION"


@dataclass(frozen=True)
class ContactInput:
    name: str
    email: str | None = None
    phone: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class Platform:
    level: PlatformLevel
    name: str


@dataclass(frozen=True)
class OrganisationDetails:
    name: Bilingual
    kind: OrganisationKind
    district_code: str
    credit_code: str
    platforms: tuple[Platform, ...] = ()
    taxonomy_codes: tuple[str, ...] = ()
    description: Bilingual = field(default_factory=Bilingual)
    contacts: tuple[Contact, ...] = ()


@dataclass(frozen=True)
class Organisation:
    id: str
    details: OrganisationDetails
    revision: int
    registered_at: datetime
    updated_at: datetime

    def updated(self, details: OrganisationDetails, now: datetime) -> Organisation:
        return replace(self, details=details, revision=self.revision + 1, updated_at=now)


@dataclass(frozen=True)
class TeamMember:
    name: str
    role: str


@dataclass(frozen=True)
class TalentDetails:
    name: Bilingual
    degree: Degree
    field_of_study: Bilingual
    institution: Bilingual
    country: str
    location: str
    timezone: str
    languages: tuple[str, ...]
    contact: Contact
    team: tuple[TeamMember, ...] = ()
    taxonomy_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Consent:
    """What a person agreed to when their data was collected."""

    notice_version: str
    purposes: tuple[str, ...]
    at: datetime


#: Why the registry collects a talent's personal data; each must be agreed to.
PURPOSES = ("REGISTRATION", "MATCHING", "CONTACT_AFTER_MUTUAL_MATCH")


@dataclass(frozen=True)
class Talent:
    id: str
    details: TalentDetails
    revision: int
    registered_at: datetime
    updated_at: datetime
    consents: tuple[Consent, ...] = ()
    erased_at: datetime | None = None

    def updated(self, details: TalentDetails, now: datetime) -> Talent:
        return replace(self, details=details, revision=self.revision + 1, updated_at=now)

    def erased(self, now: datetime) -> Talent:
        """The profile with the person's data removed (the record stays for references)."""
        blank = Bilingual(zh="已删除用户", en="Deleted user")
        details = replace(
            self.details,
            name=blank,
            field_of_study=Bilingual(),
            institution=Bilingual(),
            location="",
            contact=Contact(name="", email=f"erased+{self.id}@invalid"),
            team=(),
        )
        return replace(
            self, details=details, revision=self.revision + 1, updated_at=now, erased_at=now
        )


def check_consent(notice_version: str, purposes: Sequence[str], current_version: str) -> None:
    """Registration needs agreement to the current notice and every purpose."""
    p = Problems()
    if notice_version != current_version:
        p.add(
            "consent.notice_version",
            "OUTDATED_NOTICE",
            f"请阅读并同意最新的个人信息告知（版本 {current_version}）",
            f"agree to the current privacy notice (version {current_version})",
        )
    missing = [x for x in PURPOSES if x not in purposes]
    if missing:
        p.add(
            "consent.purposes",
            "CONSENT_REQUIRED",
            "需同意以下用途：" + "、".join(missing),
            "consent is needed for: " + ", ".join(missing),
        )
    p.raise_if_any()


def _taxonomy(
    p: Problems, codes: Sequence[str], ref: Reference, field_name: str
) -> tuple[str, ...]:
    out = []
    for i, code in enumerate(codes):
        node = ref.taxonomy.get(code)
        if node is None:
            p.add(
                f"{field_name}.{i}",
                "UNKNOWN_TAXONOMY",
                f"未知的产业分类代码：{code}",
                f"unknown taxonomy code: {code}",
            )
        elif node.kind == "retired":
            p.add(
                f"{field_name}.{i}",
                "RETIRED_TAXONOMY",
                f"产业分类 {code} 已停用",
                f"taxonomy code {code} is retired",
            )
        else:
            out.append(code)
    return tuple(dict.fromkeys(out))


def _contact(
    p: Problems, c: ContactInput, at: str, *, require_email: bool = False
) -> Contact | None:
    name = p.text(c.name, f"{at}.name", max_length=100)
    if not c.name.strip():
        p.add(f"{at}.name", "REQUIRED", "请填写联系人姓名", "give the contact's name")
    email = p.email(c.email, f"{at}.email")
    phone = p.phone(c.phone, f"{at}.phone")
    role = p.text(c.role, f"{at}.role", max_length=100)
    if require_email and not (c.email or "").strip():
        # Talents sign in and are reached by e-mail; it is also what makes them unique.
        p.add(f"{at}.email", "REQUIRED", "请填写电子邮箱", "give an e-mail address")
    elif not (c.email or c.phone):
        p.add(
            at,
            "CONTACT_CHANNEL",
            "请至少提供电子邮箱或电话之一",
            "give an e-mail address or a phone number",
        )
    return Contact(name=name, email=email, phone=phone, role=role) if name else None


def _contacts(
    p: Problems, contacts: Sequence[ContactInput], field_name: str
) -> tuple[Contact, ...]:
    out = (_contact(p, c, f"{field_name}.{i}") for i, c in enumerate(contacts))
    return tuple(c for c in out if c is not None)


def organisation_details(
    *,
    name_zh: str | None,
    name_en: str | None,
    kind: OrganisationKind,
    district_code: str,
    credit_code_value: str,
    platforms: Sequence[tuple[PlatformLevel, str]] = (),
    taxonomy_codes: Sequence[str] = (),
    description_zh: str | None = None,
    description_en: str | None = None,
    contacts: Sequence[ContactInput] = (),
    ref: Reference,
) -> OrganisationDetails:
    """Validate everything an organisation says about itself; raise all problems at once."""
    p = Problems()
    name = p.bilingual(name_zh, name_en, "name", max_length=200)
    description = p.bilingual(
        description_zh, description_en, "description", max_length=5000, required=False
    )
    if district_code not in ref.districts:
        p.add(
            "district_code",
            "UNKNOWN_DISTRICT",
            f"未知的区县代码：{district_code}",
            f"unknown district code: {district_code}",
        )
    code = credit_code.normalise(credit_code_value)
    why = credit_code.problem(code)
    if why:
        p.add(
            "credit_code",
            "CREDIT_CODE",
            "统一社会信用代码无效（" + _zh_credit(why) + "）",
            f"invalid unified social credit code: {why}",
        )
    kept_platforms = []
    for i, (level, platform_name) in enumerate(platforms):
        cleaned = p.text(platform_name, f"platforms.{i}.name", max_length=200)
        if cleaned:
            kept_platforms.append(Platform(level, cleaned))
    details = OrganisationDetails(
        name=name,
        kind=kind,
        district_code=district_code,
        credit_code=code,
        platforms=tuple(kept_platforms),
        taxonomy_codes=_taxonomy(p, taxonomy_codes, ref, "taxonomy_codes"),
        description=description,
        contacts=_contacts(p, contacts, "contacts"),
    )
    p.raise_if_any()
    return details


def _zh_credit(why: str) -> str:
    if why.startswith("must be 18"):
        return "应为 18 位"
    if why.startswith("characters not allowed"):
        return "含有不允许的字符（不使用 I、O、S、V、Z）"
    if why.startswith("characters 3 to 8"):
        return "第 3 至 8 位应为行政区划代码"
    return "校验位不符"


_TIMEZONES = available_timezones()


def talent_details(
    *,
    name_zh: str | None,
    name_en: str | None,
    degree: Degree,
    field_zh: str | None,
    field_en: str | None,
    institution_zh: str | None,
    institution_en: str | None,
    country: str,
    location: str,
    timezone: str,
    languages: Sequence[str],
    contact: ContactInput,
    team: Sequence[tuple[str, str]] = (),
    taxonomy_codes: Sequence[str] = (),
    ref: Reference,
) -> TalentDetails:
    p = Problems()
    name = p.bilingual(name_zh, name_en, "name", max_length=100)
    field_of_study = p.bilingual(field_zh, field_en, "field", max_length=200)
    institution = p.bilingual(institution_zh, institution_en, "institution", max_length=200)
    country_code = country.strip().upper()
    if len(country_code) != 2 or not (country_code.isascii() and country_code.isalpha()):
        p.add(
            "country",
            "COUNTRY",
            "国家应为两位字母代码（如 CN、DE）",
            "use a two-letter country code",
        )
    place = p.text(location, "location", max_length=200) or ""
    if timezone not in _TIMEZONES:
        p.add(
            "timezone",
            "TIMEZONE",
            f"未知的时区：{timezone}（例如 Asia/Shanghai）",
            f"unknown time zone: {timezone} (e.g. Europe/Berlin)",
        )
    langs = tuple(dict.fromkeys(lang.strip().lower() for lang in languages if lang.strip()))
    person = _contact(p, contact, "contact", require_email=True) or Contact(name="")
    members = []
    for i, (member, role) in enumerate(team):
        m = p.text(member, f"team.{i}.name", max_length=100)
        r = p.text(role, f"team.{i}.role", max_length=100)
        if m:
            members.append(TeamMember(m, r or ""))
    details = TalentDetails(
        name=name,
        degree=degree,
        field_of_study=field_of_study,
        institution=institution,
        country=country_code,
        location=place,
        timezone=timezone,
        languages=langs,
        contact=person,
        team=tuple(members),
        taxonomy_codes=_taxonomy(p, taxonomy_codes, ref, "taxonomy_codes"),
    )
    p.raise_if_any()
    return details
