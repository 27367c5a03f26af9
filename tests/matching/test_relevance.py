"""Matching's relevance of free texts to a query (for other services, e.g. mentors): the
ranking's semantic signal, calibrated and squashed as the scorer does, in the order asked."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from boyin_matching.ranking.matcher import Matcher
from boyin_matching.ranking.scorer import CALIBRATION, squash
from tests.matching.test_ranking_support import DIM, F32, no_encode, unit


def test_relevance_follows_meaning_and_keeps_the_order() -> None:
    rng = np.random.default_rng(7)
    battery = unit(rng.standard_normal(DIM))
    vectors = {
        "battery chips": battery,
        "battery systems": unit(battery + 0.2 * rng.standard_normal(DIM)),
        "hotpot seasoning": unit(rng.standard_normal(DIM)),
    }

    def encode(texts: Sequence[str]) -> F32:
        return np.stack([vectors[t] for t in texts]).astype(np.float32)

    m = Matcher(encode, DIM)
    scores = m.relevance("battery chips", ["hotpot seasoning", "battery systems"])
    assert scores.shape == (2,) and 0 <= scores[0] < scores[1] <= 1
    cosine = float(vectors["battery systems"] @ battery)
    z = np.float32((cosine - CALIBRATION[0]) / CALIBRATION[1])
    assert abs(float(scores[1]) - float(squash(np.array([z]))[0])) < 1e-5
    assert Matcher(no_encode, DIM).relevance("anything", []).shape == (0,)
