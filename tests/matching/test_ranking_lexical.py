"""The lexical signal: tokens, document frequencies, TF-IDF cosine and shared terms."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from boyin_matching.ranking.lexical import (
    Sparse,
    Vocabulary,
    cosine,
    cosines,
    cosines_by_row,
    shared_terms,
    sparse,
    term_rows,
    tokens,
)


def test_chinese_gets_jieba_words_and_character_bigrams() -> None:
    out = tokens("激光雷达自动驾驶")
    assert "激光雷达" in out  # a jieba word
    assert {"自动", "驾驶"} <= set(out)
    # every pair of neighbouring characters, in order, after the words
    bigrams = ["激光", "光雷", "雷达", "达自", "自动", "动驾", "驾驶"]
    assert out[-len(bigrams) :] == bigrams


def test_chinese_stop_words_and_single_characters_are_not_words() -> None:
    out = tokens("我们提供固态激光雷达")
    words = out[: out.index("我们")]  # jieba's words come before the bigrams
    assert words == ["固态", "激光雷达"]
    assert "的" not in tokens("芯片的封装")


def test_each_run_of_chinese_is_cut_on_its_own() -> None:
    out = tokens("电池，储能")
    assert "池储" not in out  # no bigram across the comma
    assert {"电池", "储能"} <= set(out)


def test_english_words_are_lowered_without_stop_words() -> None:
    assert tokens("The LiDAR sensor for cars and the 5G modem.") == [
        "lidar",
        "sensor",
        "cars",
        "5g",
        "modem",
    ]
    assert tokens("a b x") == []


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("PM2.5 monitor", "pm2.5"),
        ("ends with PM2.5.", "pm2.5"),  # a full stop is not part of the code
        ("written in C++", "c++"),
        ("a C# service", "c#"),
        ("an RS-485 bus", "rs-485"),
        ("model LiDAR-X200, in stock", "lidar-x200"),
        ("Wi-Fi 6E", "wi-fi"),
        ("Wi-Fi 6E", "6e"),
        ("锂电池BMS-3000系统", "bms-3000"),
        ("5G基站", "5g"),
    ],
)
def test_acronyms_and_product_codes_stay_whole(text: str, term: str) -> None:
    assert term in tokens(text)


def test_mixed_text() -> None:
    out = tokens("面向5G的MEMS传感器 for IoT")
    assert out[:3] == ["5g", "mems", "iot"]
    assert "传感器" in out
    assert tokens("") == []


def test_vocabulary_counts_documents_not_occurrences() -> None:
    v = Vocabulary()
    v.add(["电池", "电池", "储能"])
    v.add(["电池", "光伏"])
    assert v.documents == 2
    assert v.df["电池"] == 2
    assert v.df["储能"] == 1
    v.remove(["电池", "储能", "储能"])
    assert v.documents == 1
    assert v.df["电池"] == 1
    assert v.df["储能"] == 0
    v.remove(["光伏", "电池"])
    v.remove([])  # more removals than documents: never below zero
    assert v.documents == 0


def test_weights_are_unit_length_and_favour_rare_terms() -> None:
    v = Vocabulary()
    for i in range(9):
        v.add(["common", f"doc{i}"])
    v.add(["common", "rare"])
    w = v.weights(["common", "rare"])
    assert math.sqrt(sum(x * x for x in w.values())) == pytest.approx(1.0)
    assert w["rare"] > w["common"]
    # idf as documented: log((N + 1) / (df + 1)) + 1, term frequency 1 + log(count)
    raw = {"common": math.log(11 / 11) + 1, "rare": math.log(11 / 2) + 1}
    norm = math.hypot(*raw.values())
    assert w == pytest.approx({t: x / norm for t, x in raw.items()})
    twice = v.weights(["rare", "rare", "common"])
    assert twice["rare"] / twice["common"] == pytest.approx((1 + math.log(2)) * raw["rare"])
    assert v.weights([]) == {}
    # unknown terms are as rare as can be
    assert set(v.weights(["never-seen"])) == {"never-seen"}


def test_cosine() -> None:
    v = Vocabulary()
    for doc in (["a1", "b1"], ["a1", "c1"], ["d1"]):
        v.add(doc)
    x, y = v.weights(["a1", "b1"]), v.weights(["a1", "c1"])
    assert cosine(x, x) == pytest.approx(1.0)
    assert cosine(x, y) == pytest.approx(cosine(y, x))
    assert 0.0 < cosine(x, y) < 1.0
    assert cosine(x, v.weights(["d1"])) == 0.0
    assert cosine(x, {}) == 0.0
    assert cosine({"t": 0.6, "u": 0.8}, {"t": 1.0}) == pytest.approx(0.6)


def test_shared_terms_strongest_first_as_counted() -> None:
    """The terms as the lexical signal counted them, pieces included: ``ranking.words``
    makes whole words of them for people."""
    a = {"激光雷达": 0.5, "激光": 0.4, "雷达": 0.3, "芯片": 0.6, "only-a": 0.9}
    b = {"激光雷达": 0.9, "激光": 0.9, "雷达": 0.1, "芯片": 0.1, "only-b": 0.9}
    # contributions: 激光雷达 .45, 激光 .36, 芯片 .06, 雷达 .03
    assert shared_terms(a, b) == ["激光雷达", "激光", "芯片", "雷达"]
    assert shared_terms(a, b, limit=1) == ["激光雷达"]
    assert shared_terms(a, {"none": 1.0}) == []
    many = {f"term{i:02d}": 1.0 / (i + 1) for i in range(20)}
    assert shared_terms(many, many) == [f"term{i:02d}" for i in range(12)]


def test_cosines_of_many_pairs_at_once_are_the_pairwise_cosines() -> None:
    """Random vectors over a small vocabulary (so pairs share some terms, none or all),
    rows of different lengths with gaps (None): every cell is ``cosine`` of its pair."""
    r = random.Random(7)
    words = [f"w{i}" for i in range(30)]
    vocabulary = Vocabulary()
    texts = [r.choices(words, k=r.randint(0, 12)) for _ in range(40)]
    for text in texts:
        vocabulary.add(text)
    vecs = [vocabulary.weights(t) for t in texts]
    index: dict[str, int] = {}
    arrays = [sparse(v, index) for v in vecs]
    queries = list(range(6))
    rows = [[r.randrange(6, 40) if r.random() < 0.85 else None for _ in range(9)] for _ in queries]
    got = cosines(
        [arrays[q] for q in queries],
        [[None if c is None else arrays[c] for c in row] for row in rows],
        9,
    )
    assert got.shape == (6, 9)
    for q, row in zip(queries, rows, strict=True):
        for j, c in enumerate(row):
            want = 0.0 if c is None else cosine(vecs[q], vecs[c])
            assert got[q, j] == pytest.approx(want, abs=1e-12)
    assert (got > 0).sum() > 10 and (got == 0).sum() > 3
    assert cosines([], [], 5).shape == (0, 5)


def test_cosines_by_row_are_the_cosines_of_the_pairs() -> None:
    """The same pairs given as rows of compressed sparse rows (some rows without a
    vector, some cells not valid, empty texts): the same cosines as ``cosines``."""
    r = random.Random(11)
    words = [f"w{i}" for i in range(30)]
    vocabulary = Vocabulary()
    texts = [r.choices(words, k=r.randint(0, 12)) for _ in range(50)]
    for text in texts:
        vocabulary.add(text)
    index: dict[str, int] = {}
    arrays = [sparse(vocabulary.weights(t), index) for t in texts]
    vectors: list[Sparse | None] = [None if i % 7 == 3 else a for i, a in enumerate(arrays)]
    table = term_rows(vectors)
    queries = [arrays[q] for q in range(5)]
    rows = np.array([[r.randrange(50) for _ in range(11)] for _ in queries], np.intp)
    valid = np.array([[r.random() < 0.8 for _ in range(11)] for _ in queries])
    got = cosines_by_row(queries, table, rows, valid)
    want = cosines(
        queries,
        [
            [vectors[c] if ok else None for c, ok in zip(row, oks, strict=True)]
            for row, oks in zip(rows.tolist(), valid.tolist(), strict=True)
        ],
        11,
    )
    assert got.shape == (5, 11)
    np.testing.assert_allclose(got, want, atol=1e-12)
    assert (got > 0).sum() > 10 and (got[~valid] == 0).all()
    nothing = np.zeros((0, 4), np.intp)
    assert cosines_by_row([], table, nothing, nothing.astype(bool)).shape == (0, 4)
    assert (cosines_by_row(queries, term_rows([None] * 50), rows, valid) == 0).all()
