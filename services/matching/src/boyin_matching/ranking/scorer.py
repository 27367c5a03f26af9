"""Vectorised reciprocal scoring of a block of profiles against a pool of counterparts.

Per direction (each side's view of the other) the signals are fused as a weighted mean of
those that apply; both directions are combined by the harmonic mean, so a match must suit
both sides. Semantic similarity is z-normalised per candidate language (raw cosines favour
same-language text) and squashed to [0, 1].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from boyin_matching.ranking import codes
from boyin_matching.ranking.pool import Pool

F32 = NDArray[np.float32]
Mask = NDArray[np.bool_]
#: candidate rows: an index array, or a slice that reads the pool's arrays in place
Rows = NDArray[np.intp] | slice

#: weights of each signal in the view of a side (channel of the viewer)
WEIGHTS: dict[str, dict[str, float]] = {
    "PROJECT_COOPERATION": {
        "semantic": 0.40,
        "taxonomy": 0.20,
        "lexical": 0.10,
        "modes": 0.15,
        "budget": 0.08,
        "eligibility": 0.04,
        "edition": 0.03,
    },
    "PROJECT_LANDING": {
        "semantic": 0.40,
        "taxonomy": 0.20,
        "lexical": 0.10,
        "stage": 0.15,
        "eligibility": 0.10,
        "edition": 0.05,
    },
    "JOB_SEEKING": {
        "semantic": 0.45,
        "taxonomy": 0.20,
        "lexical": 0.10,
        "work_mode": 0.20,
        "edition": 0.05,
    },
    "TALENT_RECRUITMENT": {
        "semantic": 0.40,
        "taxonomy": 0.15,
        "lexical": 0.10,
        "degree": 0.25,
        "work_mode": 0.05,
        "edition": 0.05,
    },
}
#: a list whose best score is below this says "no good match yet" (abstains): calibrated
#: on the labelled set's no-answer demands (docs/matching.md, "No good match yet")
NO_GOOD_MATCH = 0.75
#: fewer candidates of a language than this: its statistics lean on a prior (SHRINK
#: pseudo-candidates of the language pair's typical cosines, or CALIBRATION)
MIN_FOR_STATS = 20
SHRINK = 20.0
CALIBRATION = (0.22, 0.12)  # typical mean and spread of USE cosines between unrelated texts


def _complement_masks() -> list[int]:
    from boyin_matching.ranking.signals import COMPLEMENTS

    return [
        codes.bits(COMPLEMENTS.get(c, ()), codes.DEMANDER_CRITERIA) for c in codes.SUPPLIER_CRITERIA
    ]


_COMPLEMENT = _complement_masks()


def squash(z: F32) -> F32:
    out: F32 = (1.0 / (1.0 + np.exp(-1.7 * (z - 1.0)))).astype(np.float32)
    return out


@dataclass
class Block:
    """Scores of B queries against N candidates (B x N arrays)."""

    cosine: F32
    semantic_forward: F32
    semantic_reverse: F32
    taxonomy: F32
    signals: dict[str, tuple[F32, Mask]]  # name -> (score, applies)
    forward: F32
    reverse: F32
    reciprocal: F32
    query_mu: F32  # B x 2: each query's cosine statistics per candidate language
    query_sd: F32


def lang_stats(
    cos: F32, lang: NDArray[np.int8], alive: Mask, prior: tuple[F32, F32] | None = None
) -> tuple[F32, F32]:
    """Each query's mean and spread of cosines per candidate language (live candidates
    only). Computed with matrix-vector products, without copying the B x N cosines; see
    ``pooled_stats`` for languages with few candidates."""
    b = cos.shape[0]
    counts = np.zeros(2)
    mean = np.zeros((b, 2), cos.dtype)
    second = np.zeros((b, 2), cos.dtype)
    for code in (0, 1):
        weight = ((lang == code) & alive).astype(np.float32)
        counts[code] = count = float(weight.sum())
        if count:
            mean[:, code] = (cos @ weight) / count
            second[:, code] = ((cos * cos) @ weight) / count
    return pooled_stats(counts, mean, second, prior)


def pooled_stats(
    counts: NDArray[np.float64],
    mean: NDArray[Any],
    second: NDArray[Any],
    prior: tuple[F32, F32] | None = None,
) -> tuple[F32, F32]:
    """Means and spreads (B x 2) from each query's first and second moments of its cosines
    per candidate language (``counts`` candidates of each language).

    A language with fewer than MIN_FOR_STATS candidates is too small for statistics of its
    own: its few cosines are pooled with SHRINK pseudo-candidates drawn from ``prior`` (B x 2
    means and spreads: what the query's language usually gets with each candidate
    language, see ``language_priors``; the fixed CALIBRATION without one)."""
    b = mean.shape[0]
    if prior is None:
        mu = np.full((b, 2), CALIBRATION[0], np.float32)
        sd = np.full((b, 2), CALIBRATION[1], np.float32)
    else:
        mu = np.array(prior[0], np.float32).reshape(b, 2)
        sd = np.array(prior[1], np.float32).reshape(b, 2)
    for code in (0, 1):
        count = float(counts[code])
        if count == 0:
            continue
        m = mean[:, code]
        var = np.maximum(second[:, code] - m * m, 0.0)
        if count >= MIN_FOR_STATS:
            mu[:, code] = m
            sd[:, code] = np.sqrt(var) + 1e-6
            continue
        prior_mu, prior_sd = mu[:, code], sd[:, code]
        pooled_mu = (count * m + SHRINK * prior_mu) / (count + SHRINK)
        pooled_var = (
            count * (var + (m - pooled_mu) ** 2)
            + SHRINK * (prior_sd**2 + (prior_mu - pooled_mu) ** 2)
        ) / (count + SHRINK)
        mu[:, code] = pooled_mu
        sd[:, code] = np.sqrt(pooled_var) + 1e-6
    return mu, sd


def language_priors(
    q_vectors: F32, q_lang: NDArray[np.int8], c_vectors: F32, c_lang: NDArray[np.int8]
) -> tuple[F32, F32]:
    """2 x 2 tables (query language x candidate language) of the mean cosine and the
    typical within-query spread, from (a sample of) two pools; CALIBRATION where a language
    pair has too few pairs. Cross-lingual cosines of USE run lower than same-language ones,
    so a fixed calibration would favour same-language candidates."""
    mu = np.full((2, 2), CALIBRATION[0], np.float32)
    sd = np.full((2, 2), CALIBRATION[1], np.float32)
    if len(q_vectors) == 0 or len(c_vectors) == 0:
        return mu, sd
    cos = (q_vectors @ c_vectors.T).astype(np.float64)
    for a in (0, 1):
        rows = cos[q_lang == a]
        for c in (0, 1):
            block = rows[:, c_lang == c]
            if block.size < MIN_FOR_STATS or block.shape[1] < 2:
                continue
            centred = block - block.mean(axis=1, keepdims=True)
            mu[a, c] = block.mean()
            sd[a, c] = np.sqrt((centred**2).sum() / (block.size - block.shape[0]))
    return mu, sd


def _z_forward(
    cos: F32, lang: NDArray[np.int8], alive: Mask, prior: tuple[F32, F32] | None = None
) -> tuple[F32, F32, F32]:
    """z-scores of each query's cosines within each candidate language."""
    mu, sd = lang_stats(cos, lang, alive, prior)
    index = lang.astype(np.intp)
    z: F32 = ((cos - mu[:, index]) / sd[:, index]).astype(np.float32)
    return z, mu, sd


def _pair(
    q: NDArray[Any], c: NDArray[Any], query_is_supply: bool
) -> tuple[NDArray[Any], NDArray[Any]]:
    """(supply side, demand side) broadcast to B x N (``c`` is already B x N when the
    candidates were gathered per query)."""
    qa, ca = q[:, None], (c[None, :] if c.ndim == 1 else c)
    return (qa, ca) if query_is_supply else (ca, qa)


def structured(
    q: Pool, qrows: NDArray[np.intp], c: Pool, crows: Rows
) -> dict[str, tuple[F32, Mask]]:
    s_is_q = q.channel in ("PROJECT_COOPERATION", "JOB_SEEKING")

    def pair(name: str) -> tuple[NDArray[Any], NDArray[Any]]:
        return _pair(getattr(q, name)[qrows], getattr(c, name)[crows], s_is_q)

    out: dict[str, tuple[F32, Mask]] = {}
    s_modes, d_modes = pair("modes")
    out["modes"] = (
        ((s_modes & d_modes) != 0).astype(np.float32),
        (s_modes != 0) & (d_modes != 0),
    )
    s_money, d_money = pair("money")
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.clip(d_money / s_money, 0.0, 1.0)
    out["budget"] = (np.nan_to_num(ratio).astype(np.float32), ~np.isnan(ratio) & (s_money > 0))
    s_stage, _ = pair("stage")
    _, d_wanted = pair("wanted_stage")
    gap = d_wanted.astype(np.int16) - s_stage.astype(np.int16)
    out["stage"] = (
        np.where(gap <= 0, 1.0, np.where(gap == 1, 0.5, 0.0)).astype(np.float32),
        (s_stage >= 0) & (d_wanted >= 0),
    )
    s_crit, d_crit = pair("criteria")
    complement = np.zeros(np.broadcast_shapes(s_crit.shape, d_crit.shape), bool)
    for i, mask in enumerate(_COMPLEMENT):
        complement |= ((s_crit >> i) & 1).astype(bool) & ((d_crit & mask) != 0)
    out["eligibility"] = (
        np.where(complement, 1.0, 0.3).astype(np.float32),
        (s_crit != 0) & (d_crit != 0),
    )
    s_degree, d_degree = pair("degree")
    out["degree"] = ((s_degree >= d_degree).astype(np.float32), (s_degree > 0) & (d_degree > 0))
    s_work, d_work = pair("work")
    flexible = codes.WORK_MODES.index("FLEXIBLE")
    out["work_mode"] = (
        np.where(
            s_work == d_work, 1.0, np.where((s_work == flexible) | (d_work == flexible), 0.5, 0.0)
        ).astype(np.float32),
        (s_work >= 0) & (d_work >= 0),
    )
    s_ed, d_ed = pair("editions")
    out["edition"] = (((s_ed & d_ed) != 0).astype(np.float32), (s_ed != 0) & (d_ed != 0))
    return out


def fuse(
    viewer: str,
    semantic: F32,
    taxonomy: F32,
    signals: dict[str, tuple[F32, Mask]],
    lexical: F32 | None = None,
) -> F32:
    """The weighted mean of the signals that apply, in ``viewer``'s view."""
    weights = WEIGHTS[viewer]
    total = weights["semantic"] * semantic + weights["taxonomy"] * taxonomy
    norm = np.full_like(semantic, weights["semantic"] + weights["taxonomy"])
    if lexical is not None:
        total = total + weights["lexical"] * lexical
        norm = norm + weights["lexical"]
    for name, (score, applies) in signals.items():
        w = weights.get(name)
        if w is None:
            continue
        total = total + w * score * applies
        norm = norm + w * applies
    out: F32 = (total / norm).astype(np.float32)
    return out


def harmonic(a: F32, b: F32) -> F32:
    out: F32 = (2 * a * b / (a + b + 1e-9)).astype(np.float32)
    return out


def score_block(
    q: Pool,
    qrows: NDArray[np.intp],
    c: Pool,
    crows: Rows,
    forward_stats: tuple[F32, F32] | None = None,
    prior: tuple[F32, F32] | None = None,
) -> Block:
    """Scores of the queries ``qrows`` against the candidates ``crows`` (a slice reads the
    pool's arrays in place; dead rows get scores too and are masked by the caller).

    ``forward_stats`` (B x 2 means and spreads per candidate language) replace the
    statistics of ``crows`` when those are a pre-selected subset of the pool; otherwise
    they are computed from ``crows``, shrunk toward ``prior`` (see ``lang_stats``)."""
    cos = (q.vectors[qrows] @ c.vectors[crows].T).astype(np.float32)
    if forward_stats is None:
        z, mu, sd = _z_forward(cos, c.lang[crows], c.alive[crows], prior)
    else:
        mu, sd = forward_stats
        lang = c.lang[crows].astype(np.intp)
        z = ((cos - mu[:, lang]) / sd[:, lang]).astype(np.float32)
    sem_f = squash(z)
    qlang = q.lang[qrows].astype(np.intp)
    mu_r = c.mu[crows][:, qlang].T
    sd_r = c.sd[crows][:, qlang].T
    missing = sd_r <= 0
    mu_r = np.where(missing, CALIBRATION[0], mu_r)
    sd_r = np.where(missing, CALIBRATION[1], sd_r)
    sem_r = squash(((cos - mu_r) / sd_r).astype(np.float32))
    ql, cl = q.leaf[qrows], c.leaf[crows]
    leaf = ((ql[:, None, 0] & cl[None, :, 0]) | (ql[:, None, 1] & cl[None, :, 1])) != 0
    group = (q.group[qrows][:, None] & c.group[crows][None, :]) != 0
    root = (q.root[qrows][:, None] & c.root[crows][None, :]) != 0
    taxonomy = np.where(leaf, 1.0, np.where(group, 0.6, np.where(root, 0.25, 0.0))).astype(
        np.float32
    )
    signals = structured(q, qrows, c, crows)
    return _fused(q, c, cos, sem_f, sem_r, taxonomy, signals, (mu, sd))


def score_pairs(
    q: Pool,
    qrows: NDArray[np.intp],
    c: Pool,
    idx: NDArray[np.intp],
    cos: F32,
    forward_stats: tuple[F32, F32],
) -> Block:
    """Scores of B queries against their own B x P candidates ``idx`` (exact cosines
    given); the full pool's per-language statistics come in ``forward_stats``."""
    mu, sd = forward_stats
    b = np.arange(len(qrows))[:, None]
    lang = c.lang[idx].astype(np.intp)
    sem_f = squash(((cos - mu[b, lang]) / sd[b, lang]).astype(np.float32))
    qlang = q.lang[qrows].astype(np.intp)[:, None]
    mu_r, sd_r = c.mu[idx, qlang], c.sd[idx, qlang]
    missing = sd_r <= 0
    mu_r = np.where(missing, CALIBRATION[0], mu_r)
    sd_r = np.where(missing, CALIBRATION[1], sd_r)
    sem_r = squash(((cos - mu_r) / sd_r).astype(np.float32))
    ql, cl = q.leaf[qrows], c.leaf[idx]
    leaf = ((ql[:, None, 0] & cl[..., 0]) | (ql[:, None, 1] & cl[..., 1])) != 0
    group = (q.group[qrows][:, None] & c.group[idx]) != 0
    root = (q.root[qrows][:, None] & c.root[idx]) != 0
    taxonomy = np.where(leaf, 1.0, np.where(group, 0.6, np.where(root, 0.25, 0.0))).astype(
        np.float32
    )
    signals = structured(q, qrows, c, idx)
    return _fused(q, c, cos, sem_f, sem_r, taxonomy, signals, (mu, sd))


def _fused(
    q: Pool,
    c: Pool,
    cos: F32,
    sem_f: F32,
    sem_r: F32,
    taxonomy: F32,
    signals: dict[str, tuple[F32, Mask]],
    stats: tuple[F32, F32],
) -> Block:
    """Both sides' views fused, and their harmonic mean."""
    forward = fuse(q.channel, sem_f, taxonomy, signals)
    reverse = fuse(c.channel, sem_r, taxonomy, signals)
    return Block(
        cosine=cos,
        semantic_forward=sem_f,
        semantic_reverse=sem_r,
        taxonomy=taxonomy,
        signals=signals,
        forward=forward,
        reverse=reverse,
        reciprocal=harmonic(forward, reverse),
        query_mu=stats[0],
        query_sd=stats[1],
    )
