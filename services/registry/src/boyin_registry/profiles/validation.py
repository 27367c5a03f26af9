"""Validating what a party says about itself: every problem of one command is reported at
once, with the field it concerns, in Chinese and English. Plain Python, no I/O."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import available_timezones

from boyin_registry.profiles import credit_code
from boyin_registry.profiles.domain import (
    PURPOSES,
    Bilingual,
    Contact,
    OrganisationDetails,
    Platform,
    TalentDetails,
    TeamMember,
)
from boyin_registry.reference.domain import Reference
from boyin_shared.api.registry import Degree, OrganisationKind, PlatformLevel
from boyin_shared.errors import FieldError, Message, invalid
from boyin_shared.text import clean

_EMAIL = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$")
_PHONE = re.compile(r"^\+?[0-9][0-9 -]{5,19}$")


class Problems:
    """Collects every field error of one command, then raises them together."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, field: str, code: str, zh: str, en: str) -> None:
        self.errors.append(FieldError(field, code, Message(zh, en)))

    def text(
        self, value: str | None, field: str, *, max_length: int, multiline: bool = False
    ) -> str | None:
        if value is None:
            return None
        result = clean(value, field, max_length=max_length, multiline=multiline)
        if isinstance(result, FieldError):
            self.errors.append(result)
            return None
        return result or None

    def bilingual(
        self, zh: str | None, en: str | None, field: str, *, max_length: int, required: bool = True
    ) -> Bilingual:
        text = Bilingual(
            self.text(zh, f"{field}.zh", max_length=max_length, multiline=max_length > 200),
            self.text(en, f"{field}.en", max_length=max_length, multiline=max_length > 200),
        )
        if required and not (text.zh or text.en) and not self._has(field):
            self.add(
                field, "REQUIRED", "请至少填写中文或英文", "give it in Chinese, English or both"
            )
        return text

    def email(self, value: str | None, field: str) -> str | None:
        if value is None:
            return None
        value = value.strip().lower()
        if not _EMAIL.match(value):
            self.add(field, "EMAIL", "电子邮箱格式不正确", "not a valid e-mail address")
            return None
        return value

    def phone(self, value: str | None, field: str) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if not _PHONE.match(value):
            self.add(field, "PHONE", "电话号码格式不正确", "not a valid phone number")
            return None
        return value

    def _has(self, prefix: str) -> bool:
        return any(e.field.startswith(prefix) for e in self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise invalid(self.errors)


@dataclass(frozen=True)
class ContactInput:
    name: str
    email: str | None = None
    phone: str | None = None
    role: str | None = None


def check_consent(notice_version: str, purposes: Sequence[str], current_version: str) -> None:
    """Registration needs agreement to the current notice and every purpose."""
    p = Problems()
    _consent(p, notice_version, purposes, current_version)
    p.raise_if_any()


def _consent(
    p: Problems, notice_version: str, purposes: Sequence[str], current_version: str
) -> None:
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
    consent: tuple[str, Sequence[str]] | None = None,
    ref: Reference,
) -> TalentDetails:
    """Validate everything a talent says about itself and, when registering, the ``consent``
    given (notice version, purposes); raise all problems at once."""
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
    if consent is not None:
        _consent(p, *consent, ref.notice.version)
    p.raise_if_any()
    return details
