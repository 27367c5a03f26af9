"""An agreement's history: the steps it went through, who took each, when and why (pure).

Below both the domain (which records steps) and the event builders (which publish them),
so neither has to import the other."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from boyin_shared.api.agreements import AgreementStage
from boyin_shared.identity import Role


@dataclass(frozen=True)
class Transition:
    """One step of an agreement: ``from_stage`` None when it was created."""

    from_stage: AgreementStage | None
    to_stage: AgreementStage
    by: str
    role: Role
    at: datetime
    reason: str | None = None
