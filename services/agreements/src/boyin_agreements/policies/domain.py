"""Support policies as data: who issues one, when it is in force, the condition over an
agreement's facts, the outcome (eligibility, an amount with a formula and a cap, a note),
the evidence a claim needs and whether it combines with others.

A policy is validated as a whole before it is saved (:func:`validate`): every problem is
reported at once, naming its field, and nothing is half-written. A change is a new
version (:meth:`Policy.revised`); old versions are kept, so an evaluation that names the
versions it used can be reproduced later.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from boyin_agreements.policies.expressions import Want, check
from boyin_agreements.policies.facts import Scope, facts_of
from boyin_shared.errors import FieldError, Message, conflict, invalid


class IssuerLevel(StrEnum):
    """Who issues a policy; support from different levels can be combined."""

    CITY = "CITY"
    DEPARTMENT = "DEPARTMENT"
    DISTRICT = "DISTRICT"
    ORGANISATION = "ORGANISATION"


@dataclass(frozen=True)
class Text:
    """Text shown to people, in Chinese and English."""

    zh: str = ""
    en: str = ""

    def __bool__(self) -> bool:
        return bool(self.zh.strip() or self.en.strip())


NO_TEXT = Text()


@dataclass(frozen=True)
class Issuer:
    level: IssuerLevel
    name: Text


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence a claim needs: a fact that must hold (a bool fact true, any
    other fact known), or a document of a kind among the agreement's or the party's."""

    key: str
    title: Text
    fact: str | None = None
    document: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What a policy grants when its condition holds."""

    #: what the beneficiary becomes eligible for
    eligibility: Text
    #: a CEL formula giving the amount in CNY; ``None``: no amount
    amount: str | None = None
    #: the most the amount can be, in CNY
    cap: Decimal | None = None
    note: Text = NO_TEXT


@dataclass(frozen=True, order=True)
class PolicyRef:
    """One version of one policy: what an evaluation records to stay reproducible."""

    id: str
    version: int


@dataclass(frozen=True)
class Policy:
    id: str
    version: int
    title: Text
    issuer: Issuer
    #: AGREEMENT: evaluated once for the agreement; PARTY: once for each party
    scope: Scope
    effective_from: date
    #: the last day in force; ``None``: until further notice
    effective_until: date | None
    #: a CEL expression over the facts, giving a bool
    condition: str
    outcome: Outcome
    evidence: tuple[Evidence, ...] = ()
    #: policies sharing a group are alternatives: a beneficiary gets only the largest of
    #: them. ``None``: combines with every other policy (the fair's rule: support from the
    #: city, departments, districts and organisations can be combined)
    exclusive_group: str | None = None

    @property
    def ref(self) -> PolicyRef:
        return PolicyRef(self.id, self.version)

    def revised(self, **changes: Any) -> Policy:
        """The next version of this policy with ``changes``, validated; this one is kept."""
        return validate(dataclasses.replace(self, version=self.version + 1, **changes))


# -- validation ------------------------------------------------------------------------

_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")


def _error(field: str, code: str, zh: str, en: str) -> FieldError:
    return FieldError(field, code, Message(zh, en))


def _required(field: str) -> FieldError:
    return _error(field, "REQUIRED", "不能为空", "must not be empty")


def validate(policy: Policy) -> Policy:
    """``policy`` itself when it may be saved; otherwise a VALIDATION_FAILED error listing
    every problem, each naming its field (``condition``, ``outcome.amount``, ...)."""
    out: list[FieldError] = []
    if not _ID.fullmatch(policy.id):
        out.append(
            _error(
                "id",
                "BAD_ID",
                "编号只能包含小写字母、数字和 . _ -，最长 64 个字符",
                "an id is lower-case letters, digits and . _ - (at most 64 characters)",
            )
        )
    if policy.version < 1:
        out.append(_error("version", "BAD_VERSION", "版本号从 1 开始", "versions start at 1"))
    for lang in ("zh", "en"):
        if not getattr(policy.title, lang).strip():
            out.append(_required(f"title.{lang}"))
    if not policy.issuer.name:
        out.append(_required("issuer.name"))
    if policy.effective_until is not None and policy.effective_until < policy.effective_from:
        out.append(
            _error(
                "effective_until",
                "END_BEFORE_START",
                f"失效日期（{policy.effective_until}）早于生效日期（{policy.effective_from}）",
                f"the last day ({policy.effective_until}) comes before the first ({policy.effective_from})",
            )
        )
    out += [
        FieldError("condition", p.code, p.message)
        for p in check(policy.condition, policy.scope, Want.BOOL)
    ]
    out += _outcome(policy.outcome, policy.scope)
    out += _evidence(policy.evidence, policy.scope)
    if policy.exclusive_group is not None and not policy.exclusive_group.strip():
        out.append(_required("exclusive_group"))
    if out:
        raise invalid(out)
    return policy


def _outcome(outcome: Outcome, scope: Scope) -> list[FieldError]:
    out: list[FieldError] = []
    if not outcome.eligibility:
        out.append(_required("outcome.eligibility"))
    if outcome.amount is not None:
        out += [
            FieldError("outcome.amount", p.code, p.message)
            for p in check(outcome.amount, scope, Want.NUMBER)
        ]
    if outcome.cap is not None:
        if outcome.amount is None:
            out.append(
                _error(
                    "outcome.cap",
                    "CAP_WITHOUT_AMOUNT",
                    "只有设定了金额公式才能设定上限",
                    "a cap needs an amount formula",
                )
            )
        if not outcome.cap.is_finite() or outcome.cap <= 0:
            out.append(
                _error("outcome.cap", "NOT_POSITIVE", "上限必须是正数", "a cap must be positive")
            )
    return out


def _evidence(items: tuple[Evidence, ...], scope: Scope) -> list[FieldError]:
    out: list[FieldError] = []
    seen: set[str] = set()
    facts = facts_of(scope)
    for i, item in enumerate(items):
        at = f"evidence.{i}"
        if not item.key.strip():
            out.append(_required(f"{at}.key"))
        elif item.key in seen:
            out.append(
                _error(
                    f"{at}.key",
                    "DUPLICATE",
                    f"证明材料“{item.key}”重复",
                    f"evidence {item.key!r} is listed twice",
                )
            )
        seen.add(item.key)
        if not item.title:
            out.append(_required(f"{at}.title"))
        if (item.fact is None) == (item.document is None):
            out.append(
                _error(
                    at,
                    "FACT_OR_DOCUMENT",
                    "每项证明材料要么是一个事实，要么是一类文件",
                    "each piece of evidence is either a fact or a kind of document",
                )
            )
        elif item.fact is not None and item.fact not in facts:
            out.append(
                _error(
                    f"{at}.fact",
                    "UNKNOWN_FACT",
                    f"读取了不存在的事实：{item.fact}",
                    f"{item.fact} is not a fact this policy can read",
                )
            )
        elif item.document is not None and not item.document.strip():
            out.append(_required(f"{at}.document"))
    return out


# -- versions --------------------------------------------------------------------------


def check_revision(previous: Policy | None, new: Policy) -> None:
    """A new policy starts at version 1; a change of ``previous`` is its next version."""
    expected = 1 if previous is None else previous.version + 1
    if previous is not None and previous.id != new.id:
        raise ValueError("a revision keeps the policy's id")
    if new.version != expected:
        raise conflict(
            "STALE_POLICY_VERSION",
            Message(
                f"政策 {new.id} 的下一个版本应为 {expected}，而不是 {new.version}",
                f"the next version of policy {new.id} is {expected}, not {new.version}",
            ),
        )


def latest(policies: Iterable[Policy]) -> tuple[Policy, ...]:
    """The newest version of each policy, by id."""
    newest: dict[str, Policy] = {}
    for p in policies:
        if p.id not in newest or p.version > newest[p.id].version:
            newest[p.id] = p
    return tuple(newest[k] for k in sorted(newest))
