"""A mentor's profile and its checks (pure): expertise (taxonomy codes and free text in
Chinese and English), languages, country, IANA time zone, organisation, weekly
availability windows, the most reviews they take at once, and declared conflicts.

Every field's problem is reported at once, each in both languages with its own code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from boyin_shared.errors import FieldError, Message

#: the registry's taxonomy code format (33618 cluster and 416 layout codes)
CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,31}$")
LANGUAGE = re.compile(r"^[a-z]{2,3}$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
MAX_OPEN_REVIEWS = 30
MAX_CONSULTATIONS_PER_DAY = 16
#: an online consultation's room: an https address
LINK = re.compile(r"^https://[^\s/?#]+\.[^\s/?#]+(/\S*)?$")
LINK_MAX = 500


@dataclass(frozen=True)
class Text:
    zh: str | None = None
    en: str | None = None


@dataclass(frozen=True)
class Window:
    """Weekly, in the mentor's time zone (weekday 0 = Monday)."""

    weekday: int
    start: time
    end: time


@dataclass(frozen=True)
class Conflicts:
    organisations: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()


@dataclass(frozen=True)
class Profile:
    name: str
    expertise_codes: tuple[str, ...]
    expertise: Text
    languages: tuple[str, ...]
    country: str
    timezone: str
    organisation_id: str | None
    organisation_name: str | None
    availability: tuple[Window, ...]
    max_open_reviews: int
    conflicts: Conflicts
    #: consultations a day at most (their load as a guide)
    max_consultations_per_day: int = 4
    #: where their online consultations are held (none: on site only)
    online_link: str | None = None


@dataclass(frozen=True)
class WindowDraft:
    weekday: int
    start: str
    end: str


@dataclass(frozen=True)
class ProfileDraft:
    """A profile as submitted, before its checks."""

    name: str
    expertise_codes: tuple[str, ...] = ()
    expertise: Text = Text()
    languages: tuple[str, ...] = ()
    country: str = ""
    timezone: str = ""
    organisation_id: str | None = None
    organisation_name: str | None = None
    availability: tuple[WindowDraft, ...] = ()
    max_open_reviews: int = 5
    conflicts: Conflicts = Conflicts()
    max_consultations_per_day: int = 4
    online_link: str | None = None


def error(field: str, code: str, zh: str, en: str) -> FieldError:
    return FieldError(field, code, Message(zh, en))


def _strip(value: str | None) -> str | None:
    return (value or "").strip() or None


def _words(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in values if v.strip()))


def _code_problem(code: str, known: KnownCodes) -> tuple[str, str, str] | None:
    """What is wrong with ``code`` (its error's code, zh and en), or None."""
    if not CODE.match(code):
        return "FORMAT", f"代码格式无效：{code}（如 C33-L1）", f"not a code: {code} (e.g. C33-L1)"
    if code in known.retired:
        return "RETIRED_CODE", f"分类代码已停用：{code}", f"the registry retired {code}"
    if code not in known.active:
        return (
            "UNKNOWN_CODE",
            f"登记处的产业分类（33618、416）中没有这个代码：{code}",
            f"not a code of the registry's taxonomy (33618, 416): {code}",
        )
    return None


def _window(i: int, w: WindowDraft, problems: list[FieldError]) -> Window | None:
    at = f"availability.{i}"
    before = len(problems)
    if not 0 <= w.weekday <= 6:
        problems.append(
            error(f"{at}.weekday", "OUT_OF_RANGE", "星期须为 0（周一）到 6", "0 (Monday) to 6")
        )
    for name, value in (("start", w.start), ("end", w.end)):
        if not HHMM.match(value):
            problems.append(error(f"{at}.{name}", "FORMAT", "时间格式为 HH:MM", "HH:MM"))
    if len(problems) > before:
        return None
    start, end = time.fromisoformat(w.start), time.fromisoformat(w.end)
    if end <= start:
        problems.append(
            error(f"{at}.end", "BEFORE_START", "结束时间须晚于开始时间", "ends after it starts")
        )
        return None
    return Window(w.weekday, start, end)


@dataclass(frozen=True)
class KnownCodes:
    """The registry's taxonomy as the mentors service learned it: the codes that can be
    chosen, and those retired (they cannot be chosen any more)."""

    active: frozenset[str] = frozenset()
    retired: frozenset[str] = frozenset()


def checked_profile(draft: ProfileDraft, known: KnownCodes) -> Profile | list[FieldError]:
    """The profile, or every problem with it; its expertise codes are the registry's
    (``known``)."""
    problems: list[FieldError] = []
    name = draft.name.strip()
    if not name:
        problems.append(error("name", "REQUIRED", "请填写姓名", "give the mentor's name"))
    elif len(name) > 200:
        problems.append(error("name", "TOO_LONG", "姓名最多 200 字", "at most 200 characters"))
    codes = tuple(dict.fromkeys(c.strip().upper() for c in draft.expertise_codes if c.strip()))
    if not codes:
        problems.append(
            error("expertise_codes", "REQUIRED", "请至少选择一个专业领域代码", "choose a code")
        )
    for i, code in enumerate(codes):
        problem = _code_problem(code, known)
        if problem is not None:
            problems.append(error(f"expertise_codes.{i}", *problem))
    expertise = Text(_strip(draft.expertise.zh), _strip(draft.expertise.en))
    if expertise.zh is None and expertise.en is None:
        problems.append(
            error("expertise", "REQUIRED", "请用中文或英文描述专长", "describe it in zh or en")
        )
    languages = tuple(dict.fromkeys(x.strip().lower() for x in draft.languages if x.strip()))
    if not languages:
        problems.append(error("languages", "REQUIRED", "请至少填写一种语言", "give a language"))
    for i, lang in enumerate(languages):
        if not LANGUAGE.match(lang):
            problems.append(
                error(f"languages.{i}", "FORMAT", "语言为 ISO 639 代码，如 zh", "ISO 639, e.g. zh")
            )
    country = draft.country.strip().upper()
    if not COUNTRY.match(country):
        problems.append(
            error("country", "FORMAT", "国家为两位 ISO 3166 代码，如 DE", "ISO 3166, e.g. DE")
        )
    timezone = draft.timezone.strip()
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(
            error("timezone", "UNKNOWN_TIMEZONE", "未知时区（IANA，如 Europe/Berlin）", "IANA zone")
        )
    windows = [_window(i, w, problems) for i, w in enumerate(draft.availability)]
    if not 1 <= draft.max_open_reviews <= MAX_OPEN_REVIEWS:
        problems.append(
            error(
                "max_open_reviews",
                "OUT_OF_RANGE",
                f"同时评审数须在 1 到 {MAX_OPEN_REVIEWS} 之间",
                f"1 to {MAX_OPEN_REVIEWS}",
            )
        )
    if not 1 <= draft.max_consultations_per_day <= MAX_CONSULTATIONS_PER_DAY:
        problems.append(
            error(
                "max_consultations_per_day",
                "OUT_OF_RANGE",
                f"每天咨询数须在 1 到 {MAX_CONSULTATIONS_PER_DAY} 之间",
                f"1 to {MAX_CONSULTATIONS_PER_DAY} a day",
            )
        )
    link = _strip(draft.online_link)
    if link is not None and (len(link) > LINK_MAX or not LINK.match(link)):
        problems.append(
            error(
                "online_link",
                "FORMAT",
                "线上咨询地址须为 https:// 开头的网址",
                "an https:// address",
            )
        )
    if problems:
        return problems
    c = draft.conflicts
    return Profile(
        name=name,
        expertise_codes=codes,
        expertise=expertise,
        languages=languages,
        country=country,
        timezone=timezone,
        organisation_id=_strip(draft.organisation_id),
        organisation_name=_strip(draft.organisation_name),
        availability=tuple(w for w in windows if w is not None),
        max_open_reviews=draft.max_open_reviews,
        conflicts=Conflicts(_words(c.organisations), _words(c.people), _words(c.interests)),
        max_consultations_per_day=draft.max_consultations_per_day,
        online_link=link,
    )
