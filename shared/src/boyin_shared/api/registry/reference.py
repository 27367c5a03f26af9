"""Reference data over HTTP: districts, editions, eligibility criteria, the taxonomy."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class NamedOut(BaseModel):
    code: str
    zh: str
    en: str
    kind: str
    parent: str | None = None


class TaxonomyOut(BaseModel):
    version: int
    nodes: list[NamedOut]


class CriterionOut(BaseModel):
    code: str
    side: str
    zh: str
    en: str


class TaxonomyNodeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=1, max_length=32)
    parent: str | None = None
    name_zh: str = Field(max_length=100)
    name_en: str = Field(max_length=200)


class RenameIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name_zh: str = Field(max_length=100)
    name_en: str = Field(max_length=200)
