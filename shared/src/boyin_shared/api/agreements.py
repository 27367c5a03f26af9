"""The agreements service's HTTP API: for now the enums its domain and its future request
and response models share (one definition each).

The models themselves come with the service's HTTP layer; its domain
(``boyin_agreements.agreements``) already uses these enums.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

#: what a party of an agreement is in the registry (an investor is an organisation)
PartyKind = Literal["talent", "organisation"]


class AgreementStage(StrEnum):
    """Where an agreement is: INTENTION → NEGOTIATING → DRAFTED → SIGNED → IMPLEMENTING →
    LANDED, or TERMINATED from any stage before LANDED."""

    INTENTION = "INTENTION"
    NEGOTIATING = "NEGOTIATING"
    DRAFTED = "DRAFTED"
    SIGNED = "SIGNED"
    IMPLEMENTING = "IMPLEMENTING"
    LANDED = "LANDED"
    TERMINATED = "TERMINATED"


class CooperationType(StrEnum):
    TECHNOLOGY_TRANSFER = "TECHNOLOGY_TRANSFER"
    LICENCE = "LICENCE"
    JOINT_RND = "JOINT_RND"
    COMMISSIONED_RND = "COMMISSIONED_RND"
    EQUITY_INVESTMENT = "EQUITY_INVESTMENT"
    LOAN_OR_CREDIT = "LOAN_OR_CREDIT"
    INCUBATION = "INCUBATION"
    EMPLOYMENT = "EMPLOYMENT"
    OFFSHORE_RND_CENTRE = "OFFSHORE_RND_CENTRE"


class PartyRole(StrEnum):
    """What a party is in an agreement: the talent (or the team it leads), an
    organisation (hosting, buying, employing), or an investor."""

    TALENT = "TALENT"
    ORGANISATION = "ORGANISATION"
    INVESTOR = "INVESTOR"


class OriginKind(StrEnum):
    """How an agreement started: offered after a mutual match or a meeting held, or
    started by hand (an operator or one of its parties)."""

    MATCH = "MATCH"
    MEETING = "MEETING"
    MANUAL = "MANUAL"


class AmountKind(StrEnum):
    """The amounts an agreement states (each with its currency)."""

    CONTRACT_VALUE = "CONTRACT_VALUE"
    INVESTMENT = "INVESTMENT"
    HORIZONTAL_RESEARCH_FUNDS = "HORIZONTAL_RESEARCH_FUNDS"
    START_UP_FUNDS = "START_UP_FUNDS"


class DocumentKind(StrEnum):
    LETTER_OF_INTENT = "LETTER_OF_INTENT"
    DRAFT_CONTRACT = "DRAFT_CONTRACT"
    SIGNED_CONTRACT = "SIGNED_CONTRACT"
    ANNEX = "ANNEX"
    OTHER = "OTHER"


class MilestoneKind(StrEnum):
    COMPANY_REGISTERED = "COMPANY_REGISTERED"
    FUNDS_RECEIVED = "FUNDS_RECEIVED"
    TEAM_ARRIVED = "TEAM_ARRIVED"
    PRODUCT_DELIVERED = "PRODUCT_DELIVERED"
    STAFF_HIRED = "STAFF_HIRED"
    OTHER = "OTHER"
