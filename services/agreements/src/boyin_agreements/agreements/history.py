"""An agreement's history: the steps it went through, who took each, when and why (pure).

Below both the domain (which records steps) and the event builders (which publish them),
so neither has to import the other."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from boyin_agreements.agreements.refusals import error
from boyin_shared.api.agreements import AgreementStage
from boyin_shared.errors import FieldError, invalid
from boyin_shared.identity import Role
from boyin_shared.text import clean


@dataclass(frozen=True)
class Transition:
    """One step of an agreement: ``from_stage`` None when it was created."""

    from_stage: AgreementStage | None
    to_stage: AgreementStage
    by: str
    role: Role
    at: datetime
    reason: str | None = None


def reason_given(reason: str | None, *, required: bool) -> str | None:
    """The reason given for a step, cleaned (a termination must give one)."""
    text = clean(reason, "reason", max_length=1000, multiline=True) if reason else None
    if isinstance(text, FieldError):
        raise invalid([text])
    if required and not text:
        raise invalid(
            [error("reason", "REQUIRED", "终止协议须说明原因", "say why it is terminated")]
        )
    return text or None
