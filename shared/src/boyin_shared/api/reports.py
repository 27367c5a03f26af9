"""The agreements service's reports over HTTP: the funnel from published demands to landed
agreements, per edition, district, cluster or channel (one definition each)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel

from boyin_shared.api.agreements import MoneyOut


class FunnelDimension(StrEnum):
    """What the funnel's rows are: one row per edition, district, cluster (taxonomy code)
    or channel."""

    EDITION = "EDITION"
    DISTRICT = "DISTRICT"
    CLUSTER = "CLUSTER"
    CHANNEL = "CHANNEL"


class FunnelStep(StrEnum):
    """The funnel's steps, in order."""

    DEMANDS = "DEMANDS"
    PROPOSALS = "PROPOSALS"
    MUTUAL_MATCHES = "MUTUAL_MATCHES"
    MEETINGS_HELD = "MEETINGS_HELD"
    INTENTIONS = "INTENTIONS"
    SIGNED = "SIGNED"
    LANDED = "LANDED"


class StepOut(BaseModel):
    step: FunnelStep
    count: int
    #: this step's count over the previous step's (None for the first step, or when the
    #: previous step counts nothing)
    conversion: float | None


class SignatureDelayOut(BaseModel):
    """Days from the mutual match to the signature, over the signed agreements that grew
    from a match (directly or through a meeting)."""

    agreements: int
    mean_days: float | None
    median_days: float | None


class FunnelRowOut(BaseModel):
    #: the edition, district code, taxonomy code or channel; None for what has none
    key: str | None
    steps: list[StepOut]
    #: the contract values of the signed agreements, one sum per currency
    contract_values: list[MoneyOut]
    match_to_signature: SignatureDelayOut


class FunnelOut(BaseModel):
    by: FunnelDimension
    #: everything the filters let through, each item counted once
    total: FunnelRowOut
    #: one row per value of ``by``; an item with several values (a match between demands
    #: of two districts, a demand in two clusters) is counted in each of their rows
    rows: list[FunnelRowOut]
