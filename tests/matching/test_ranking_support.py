"""Builders shared by the matching core's unit tests (no tests here).

Vectors are constructed unit numpy vectors; the sentence encoder is never loaded: every
matcher gets ``no_encode``, which fails the test if anything asks it for a vector.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from boyin_matching.bench.quality import load_tree
from boyin_matching.ranking.finishing import Candidate
from boyin_matching.ranking.matcher import Matcher
from boyin_matching.ranking.profiles import Profile
from boyin_matching.ranking.taxonomy import TaxonomyTree

F32 = NDArray[np.float32]
DIM = 64


def no_encode(texts: Sequence[str]) -> F32:
    raise AssertionError(f"the encoder must not be called (asked for {list(texts)!r})")


def unit(v: NDArray[Any]) -> F32:
    out: F32 = (v / np.linalg.norm(v)).astype(np.float32)
    return out


def random_unit(rng: np.random.Generator, dim: int = DIM) -> F32:
    return unit(rng.standard_normal(dim))


def near(base: F32, rng: np.random.Generator, noise: float) -> F32:
    """A unit vector close to ``base`` (``noise`` is the spread of the added Gaussian)."""
    return unit(base + noise * rng.standard_normal(base.shape[0]) / np.sqrt(base.shape[0]))


def tree() -> TaxonomyTree:
    """A fresh copy of the registry's real taxonomy tree."""
    return load_tree()


def matcher(dim: int = DIM, taxonomy: TaxonomyTree | None = None) -> Matcher:
    return Matcher(no_encode, dim, taxonomy if taxonomy is not None else tree())


def profile(
    demand_id: str,
    channel: str,
    *,
    codes: Iterable[str] = (),
    details: Mapping[str, Any] | None = None,
    editions: Iterable[str] = (),
    criteria: Iterable[str] = (),
    degree: str | None = None,
    capacity: int = 10,
    zh: str | None = None,
    en: str | None = None,
    keywords: Iterable[str] = (),
) -> Profile:
    """A published profile; Chinese text unless only ``en`` is given."""
    if zh is None and en is None:
        zh = f"需求{demand_id}"
    language = "zh+en" if zh and en else ("zh" if zh else "en")
    return Profile(
        demand_id=demand_id,
        channel=channel,
        owner_kind="talent" if channel in ("PROJECT_COOPERATION", "JOB_SEEKING") else "org",
        owner_id=f"owner-{demand_id}",
        district_code=None,
        language=language,
        title_zh=zh,
        title_en=en,
        description_zh=None,
        description_en=None,
        keywords=tuple(keywords),
        taxonomy_codes=tuple(codes),
        details=dict(details or {}),
        editions=tuple(editions),
        criteria=frozenset(criteria),
        revision=1,
        capacity=capacity,
        degree=degree,
    )


def candidate(demand_id: str, score: float) -> Candidate:
    """A candidate with plain numbers: both views at ``score``, no lexical signal."""
    return Candidate(
        demand_id=demand_id,
        score=score,
        forward=score,
        reverse=score,
        cosine=0.5,
        semantic_forward=0.5,
        semantic_reverse=0.5,
        taxonomy=1.0,
        lexical=0.0,
        signals={},
        shared_terms=(),
        capped=False,
    )
