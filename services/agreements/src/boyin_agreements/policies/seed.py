"""The fair's announced support measures, shipped as data (``policies/data/fair-measures.json``),
and the reading of policies from JSON-like data.

Reading checks the shape (every field present with the right type) and then validates each
policy as saving would (:func:`boyin_agreements.policies.domain.validate`); problems of all
policies are reported at once, each field named ``policies.<i>.<field>``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any, TypeVar

from boyin_agreements.policies.domain import (
    Evidence,
    Issuer,
    IssuerLevel,
    Outcome,
    Policy,
    Text,
    validate,
)
from boyin_agreements.policies.facts import Scope
from boyin_shared.errors import BoyinError, FieldError, Message, invalid

SEED = "fair-measures.json"
_E = TypeVar("_E", IssuerLevel, Scope)


@cache
def fair_measures() -> tuple[Policy, ...]:
    """The fair's announced measures (and the example district policy), validated."""
    text = resources.files("boyin_agreements.policies").joinpath("data", SEED).read_text("utf-8")
    return read_policies(json.loads(text))


def read_policies(data: Mapping[str, Any]) -> tuple[Policy, ...]:
    """The policies of a ``{"policies": [...]}`` document, each read and validated; one
    VALIDATION_FAILED error listing every problem of every policy otherwise."""
    items = data.get("policies")
    if not isinstance(items, list):
        raise invalid([_wrong("policies", "a list")])
    out: list[Policy] = []
    problems: list[FieldError] = []
    seen: set[tuple[str, int]] = set()
    for i, item in enumerate(items):
        key = _key(item)
        if key is not None and key in seen:
            problems.append(
                FieldError(
                    f"policies.{i}.version",
                    "DUPLICATE",
                    Message(
                        f"政策 {key[0]} 的版本 {key[1]} 重复",
                        f"policy {key[0]} version {key[1]} is listed twice",
                    ),
                )
            )
        if key is not None:
            seen.add(key)
        try:
            out.append(read_policy(item))
        except BoyinError as e:
            problems += [FieldError(f"policies.{i}.{f.field}", f.code, f.message) for f in e.fields]
    if problems:
        raise invalid(problems)
    return tuple(out)


def _key(item: object) -> tuple[str, int] | None:
    """A policy's id and version as the data gives them, when it gives both."""
    if not isinstance(item, Mapping):
        return None
    pid, version = item.get("id"), item.get("version")
    if isinstance(pid, str) and isinstance(version, int) and not isinstance(version, bool):
        return pid, version
    return None


def read_policy(item: object) -> Policy:
    """One policy from its JSON form, validated."""
    r = _Reader()
    raw = r.mapping(item, "")
    outcome = r.mapping(raw.get("outcome"), "outcome")
    issuer = r.mapping(raw.get("issuer"), "issuer")
    evidence = raw.get("evidence", [])
    if not isinstance(evidence, list):
        r.problems.append(_wrong("evidence", "a list"))
        evidence = []
    policy = Policy(
        id=r.text(raw, "id", ""),
        version=r.integer(raw, "version"),
        title=r.bilingual(raw, "title", ""),
        issuer=Issuer(
            level=r.choice(issuer, "level", "issuer.", IssuerLevel, IssuerLevel.CITY),
            name=r.bilingual(issuer, "name", "issuer."),
        ),
        scope=r.choice(raw, "scope", "", Scope, Scope.AGREEMENT),
        effective_from=r.day(raw, "effective_from") or date.min,
        effective_until=r.day(raw, "effective_until", optional=True),
        condition=r.text(raw, "condition", ""),
        outcome=Outcome(
            eligibility=r.bilingual(outcome, "eligibility", "outcome."),
            amount=r.text(outcome, "amount", "outcome.", optional=True) or None,
            cap=r.money(outcome, "cap", "outcome."),
            note=r.bilingual(outcome, "note", "outcome.", optional=True),
        ),
        evidence=tuple(r.evidence(e, f"evidence.{i}") for i, e in enumerate(evidence)),
        exclusive_group=r.text(raw, "exclusive_group", "", optional=True) or None,
    )
    if r.problems:
        raise invalid(r.problems)
    return validate(policy)


def _wrong(field: str, what: str) -> FieldError:
    return FieldError(field, "BAD_TYPE", Message(f"应为{_ZH.get(what, what)}", f"must be {what}"))


_ZH = {
    "a list": "列表",
    "an object": "对象",
    "text": "文本",
    "a whole number": "整数",
    "a date (YYYY-MM-DD)": "日期（YYYY-MM-DD）",
    "an amount": "金额",
}


class _Reader:
    """Reads fields of JSON-like data, collecting a problem for each bad one."""

    def __init__(self) -> None:
        self.problems: list[FieldError] = []

    def mapping(self, value: object, field: str) -> Mapping[str, Any]:
        if isinstance(value, Mapping):
            return value
        self.problems.append(_wrong(field or "policy", "an object"))
        return {}

    def text(self, raw: Mapping[str, Any], key: str, at: str, *, optional: bool = False) -> str:
        value = raw.get(key)
        if value is None and optional:
            return ""
        if not isinstance(value, str):
            self.problems.append(_wrong(at + key, "text"))
            return ""
        return value

    def bilingual(
        self, raw: Mapping[str, Any], key: str, at: str, *, optional: bool = False
    ) -> Text:
        value = raw.get(key)
        if value is None and optional:
            return Text()
        if not isinstance(value, Mapping):
            self.problems.append(_wrong(at + key, "an object"))
            return Text()
        return Text(self.text(value, "zh", f"{at}{key}."), self.text(value, "en", f"{at}{key}."))

    def integer(self, raw: Mapping[str, Any], key: str) -> int:
        value = raw.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.problems.append(_wrong(key, "a whole number"))
            return 0
        return value

    def day(self, raw: Mapping[str, Any], key: str, *, optional: bool = False) -> date | None:
        value = raw.get(key)
        if value is None and optional:
            return None
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.problems.append(_wrong(key, "a date (YYYY-MM-DD)"))
        return None

    def money(self, raw: Mapping[str, Any], key: str, at: str) -> Decimal | None:
        value = raw.get(key)
        if value is None:
            return None
        try:
            if isinstance(value, str | int | float) and not isinstance(value, bool):
                return Decimal(str(value))
        except InvalidOperation:
            pass
        self.problems.append(_wrong(at + key, "an amount"))
        return None

    def choice(self, raw: Mapping[str, Any], key: str, at: str, kind: type[_E], fallback: _E) -> _E:
        value = raw.get(key)
        try:
            return kind(value if isinstance(value, str) else "")
        except ValueError:
            allowed = ", ".join(kind)
            self.problems.append(
                FieldError(
                    at + key,
                    "UNKNOWN_VALUE",
                    Message(f"应为以下之一：{allowed}", f"must be one of: {allowed}"),
                )
            )
            return fallback

    def evidence(self, value: object, at: str) -> Evidence:
        raw = self.mapping(value, at)
        return Evidence(
            key=self.text(raw, "key", f"{at}."),
            title=self.bilingual(raw, "title", f"{at}."),
            fact=self.text(raw, "fact", f"{at}.", optional=True) or None,
            document=self.text(raw, "document", f"{at}.", optional=True) or None,
        )
