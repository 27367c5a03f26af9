"""What a support policy may read: the declared, typed facts about an agreement and its
parties, and the input an evaluation is given.

One source: the fields of :class:`AgreementFacts` and :class:`PartyFacts` (their types and
the labels in their metadata) are the schema. The expression language's declarations
(``agreement.<field>``, ``party.<field>``), the list of facts shown to policy authors and
the values bound at evaluation all derive from these two classes. A fact left ``None`` is
unknown: an expression that needs it reports it as missing instead of guessing.

Amounts are in CNY (yuan). In expressions every number fact is a decimal (CEL ``double``):
compare with ``200000.0``, not ``200000``.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from boyin_shared.errors import Message


class FactKind(StrEnum):
    """The type of a fact, as an expression sees it."""

    BOOL = "BOOL"  # CEL bool
    NUMBER = "NUMBER"  # CEL double (amounts in CNY)
    TEXT = "TEXT"  # CEL string


class Scope(StrEnum):
    """What a policy is evaluated for: the agreement as a whole, or each of its parties.

    A policy of scope AGREEMENT reads only ``agreement.*``; one of scope PARTY is
    evaluated once per party and reads ``agreement.*`` and ``party.*``.
    """

    AGREEMENT = "AGREEMENT"
    PARTY = "PARTY"


@dataclass(frozen=True)
class FactSpec:
    """One declared fact: its full name (``party.attended_on_site``), type and label."""

    name: str
    kind: FactKind
    label: Message
    #: the values a TEXT fact takes, when it is an enumeration (empty: free text)
    values: tuple[str, ...] = ()
    unit: str | None = None


def _about(
    zh: str, en: str, *, values: tuple[str, ...] = (), unit: str | None = None
) -> dict[str, Any]:
    """A fact field's label in both languages, and its values or unit."""
    return {"label": Message(zh, en), "values": values, "unit": unit}


#: the stages of an agreement's pipeline
STAGES = ("INTENTION", "NEGOTIATING", "DRAFTED", "SIGNED", "IMPLEMENTING", "LANDED", "TERMINATED")
#: the ways of cooperating an agreement records
COOPERATION_TYPES = (
    "TECHNOLOGY_TRANSFER",
    "LICENCE",
    "JOINT_RND",
    "COMMISSIONED_RND",
    "EQUITY_INVESTMENT",
    "LOAN_OR_CREDIT",
    "INCUBATION",
    "EMPLOYMENT",
    "OFFSHORE_RND_CENTRE",
)
PARTY_KINDS = ("talent", "organisation", "investor")


@dataclass(frozen=True)
class AgreementFacts:
    """Facts about the agreement itself, read as ``agreement.<field>``."""

    cooperation_type: str | None = field(
        default=None, metadata=_about("合作方式", "cooperation type", values=COOPERATION_TYPES)
    )
    stage: str | None = field(default=None, metadata=_about("阶段", "stage", values=STAGES))
    district: str | None = field(
        default=None,
        metadata=_about(
            "落地区县（区划代码，如 LJXQ）", "code of the district where it lands (e.g. LJXQ)"
        ),
    )
    edition: str | None = field(
        default=None, metadata=_about("届次代码（如 CQ2026）", "code of the edition (e.g. CQ2026)")
    )
    contract_value: Decimal | None = field(
        default=None, metadata=_about("合同金额", "contract value", unit="CNY")
    )
    investment: Decimal | None = field(
        default=None, metadata=_about("投资额", "investment", unit="CNY")
    )
    horizontal_funds: Decimal | None = field(
        default=None, metadata=_about("横向科研经费", "horizontal research funds", unit="CNY")
    )
    startup_funds: Decimal | None = field(
        default=None, metadata=_about("启动资金", "start-up funds", unit="CNY")
    )


@dataclass(frozen=True)
class PartyFacts:
    """Facts about one party of the agreement, read as ``party.<field>``."""

    kind: str | None = field(
        default=None, metadata=_about("参与方类型", "kind of party", values=PARTY_KINDS)
    )
    signed: bool | None = field(default=None, metadata=_about("已签约", "has signed the agreement"))
    attended_on_site: bool | None = field(
        default=None, metadata=_about("线下参会", "attended the fair on site")
    )
    applies_for_municipal_platform: bool | None = field(
        default=None,
        metadata=_about(
            "申报市级研发平台或项目", "applies for a municipal R&D platform or programme"
        ),
    )
    leads_national_project: bool | None = field(
        default=None,
        metadata=_about(
            "牵头国家重大科技专项或重点研发计划",
            "leads a national major S&T project or key R&D plan",
        ),
    )
    previous_year_national_funds: Decimal | None = field(
        default=None,
        metadata=_about(
            "上年度国家拨付经费", "nationally allocated funds of the previous year", unit="CNY"
        ),
    )
    horizontal_project_ongoing: bool | None = field(
        default=None,
        metadata=_about("牵头在研横向项目", "leads an ongoing horizontally funded project"),
    )
    horizontal_project_funds: Decimal | None = field(
        default=None,
        metadata=_about("在研横向项目经费", "funds of the ongoing horizontal project", unit="CNY"),
    )
    horizontal_project_meets_municipal_standard: bool | None = field(
        default=None,
        metadata=_about(
            "横向项目符合市级标准", "the horizontal project meets the municipal standard"
        ),
    )


_KINDS: dict[object, FactKind] = {bool: FactKind.BOOL, Decimal: FactKind.NUMBER, str: FactKind.TEXT}


def _specs(prefix: str, cls: type[Any]) -> dict[str, FactSpec]:
    hints = typing.get_type_hints(cls)
    out: dict[str, FactSpec] = {}
    for f in dataclasses.fields(cls):
        hint = hints[f.name]
        inner = [a for a in typing.get_args(hint) if a is not types.NoneType]
        kind = _KINDS[inner[0]]  # every fact is ``T | None``; a KeyError here is a bad field
        name = f"{prefix}.{f.name}"
        out[name] = FactSpec(
            name, kind, f.metadata["label"], f.metadata["values"], f.metadata["unit"]
        )
    return out


AGREEMENT_FACTS: Mapping[str, FactSpec] = _specs("agreement", AgreementFacts)
PARTY_FACTS: Mapping[str, FactSpec] = _specs("party", PartyFacts)
#: every fact an expression may read, by full name
FACTS: Mapping[str, FactSpec] = {**AGREEMENT_FACTS, **PARTY_FACTS}


def facts_of(scope: Scope) -> Mapping[str, FactSpec]:
    """The facts an expression of a policy of ``scope`` may read."""
    return AGREEMENT_FACTS if scope is Scope.AGREEMENT else FACTS


@dataclass(frozen=True)
class PolicyParty:
    """One party as a policy sees it: its id, facts and the kinds of documents it holds."""

    id: str
    facts: PartyFacts = PartyFacts()
    documents: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PolicySubject:
    """What an evaluation reads: one agreement's facts, its parties and its documents."""

    agreement_id: str
    facts: AgreementFacts = AgreementFacts()
    parties: tuple[PolicyParty, ...] = ()
    #: kinds of the agreement's documents (``contract``, ``fund_receipt``, ...)
    documents: frozenset[str] = frozenset()


def known(agreement: AgreementFacts, party: PartyFacts | None) -> dict[str, bool | float | str]:
    """The known facts by full name, as the expression language takes them (numbers as
    doubles); unknown facts are left out."""
    out: dict[str, bool | float | str] = {}
    for prefix, values in (("agreement", agreement), ("party", party)):
        if values is None:
            continue
        for f in dataclasses.fields(values):
            value = getattr(values, f.name)
            if value is None:
                continue
            out[f"{prefix}.{f.name}"] = float(value) if isinstance(value, Decimal) else value
    return out
