"""A registered party's name (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from boyin_agreements.agreements.terms import Text


@dataclass(frozen=True)
class PartyName:
    """The name a talent or an organisation is registered under, at a profile revision."""

    id: str
    name: Text
    revision: int
