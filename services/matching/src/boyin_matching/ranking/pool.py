"""A pool of profiles of one channel in columns (numpy), ready for vectorised scoring."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from boyin_matching.ranking import codes
from boyin_matching.ranking.profiles import Profile
from boyin_matching.ranking.taxonomy import TaxonomyTree

F32 = NDArray[np.float32]
REDUCED_DIM = 64


@dataclass
class Columns:
    """Maps taxonomy codes, groups and systems to columns of the one-hot matrices."""

    leaf: dict[str, int] = field(default_factory=dict)
    group: dict[str, int] = field(default_factory=dict)
    root: dict[str, int] = field(default_factory=dict)
    editions: dict[str, int] = field(default_factory=dict)

    @staticmethod
    def _col(table: dict[str, int], key: str) -> int:
        if key not in table:
            table[key] = len(table)
        return table[key]

    def of(
        self, tree: TaxonomyTree, taxonomy_codes: tuple[str, ...]
    ) -> tuple[list[int], list[int], list[int]]:
        leaves, groups, roots = [], [], []
        for code in taxonomy_codes:
            leaves.append(self._col(self.leaf, code))
            if code in tree.parents:
                groups.append(self._col(self.group, tree.group_of(code)))
                roots.append(self._col(self.root, tree.root_of(code)))
        return leaves, groups, roots


def _grow(array: NDArray[np.generic], rows: int) -> NDArray[np.generic]:
    bigger = np.zeros((rows, *array.shape[1:]), dtype=array.dtype)
    bigger[: array.shape[0]] = array
    return bigger


class Pool:
    """One channel's published profiles: vectors and facts as arrays, one row each."""

    #: taxonomy codes as bits: up to 128 codes, 64 groups and 64 systems
    MAX_CODES, MAX_GROUPS = 128, 64

    def __init__(self, channel: str, dim: int, columns: Columns, capacity: int = 256) -> None:
        self.channel = channel
        self.dim = dim
        self.columns = columns
        self.size = 0
        self.ids: list[str] = []
        self.rows: dict[str, int] = {}
        self.profiles: list[Profile | None] = []
        self._allocate(capacity)

    def _allocate(self, n: int) -> None:
        self.vectors = np.zeros((n, self.dim), np.float32)
        self.alive = np.zeros(n, bool)
        self.lang = np.zeros(n, np.int8)
        self.stage = np.full(n, -1, np.int8)
        self.wanted_stage = np.full(n, -1, np.int8)
        self.modes = np.zeros(n, np.int16)  # sought (supply) or offered (demand)
        self.money = np.full(n, np.nan, np.float32)  # funding sought or budget, 10k CNY
        self.degree = np.zeros(n, np.int8)  # the seeker's or the required degree rank
        self.work = np.full(n, -1, np.int8)
        self.editions = np.zeros(n, np.int64)
        self.criteria = np.zeros(n, np.int16)
        self.leaf = np.zeros((n, 2), np.uint64)
        self.group = np.zeros(n, np.uint64)
        self.root = np.zeros(n, np.uint64)
        #: mean and spread of this profile's cosine to the other side, per language
        self.mu = np.zeros((n, 2), np.float32)
        self.sd = np.zeros((n, 2), np.float32)
        #: the vectors projected on the matcher's reduced basis (see Matcher.prefilter)
        self.reduced = np.zeros((n, REDUCED_DIM), np.float32)

    COLUMNS = (
        "vectors",
        "alive",
        "lang",
        "stage",
        "wanted_stage",
        "modes",
        "money",
        "degree",
        "work",
        "editions",
        "criteria",
        "mu",
        "sd",
        "leaf",
        "group",
        "root",
        "reduced",
    )

    def _ensure(self, rows: int) -> None:
        """Room for ``rows`` rows: every column array doubles when full."""
        n = self.vectors.shape[0]
        if rows <= n:
            return
        new_n = max(n, 1)
        while new_n < rows:
            new_n *= 2
        for name in self.COLUMNS:
            setattr(self, name, _grow(getattr(self, name), new_n))

    def __len__(self) -> int:
        return int(self.alive[: self.size].sum())

    def upsert(self, profile: Profile, vector: F32, tree: TaxonomyTree) -> int:
        leaves, groups, roots = self.columns.of(tree, profile.taxonomy_codes)
        if max([0, *leaves]) >= self.MAX_CODES or max([0, *groups, *roots]) >= self.MAX_GROUPS:
            raise ValueError("more taxonomy codes than the pool's bit sets hold")
        row = self.rows.get(profile.demand_id)
        if row is None:
            row = self.size
            self.size += 1
            self.ids.append(profile.demand_id)
            self.profiles.append(profile)
            self.rows[profile.demand_id] = row
        self._ensure(self.size)
        self.profiles[row] = profile
        self.vectors[row] = vector
        self.alive[row] = True
        self.lang[row] = codes.LANGUAGES.index(profile.primary_language)
        d = profile.details
        self.stage[row] = codes.index_of(d.get("stage"), codes.STAGES)
        self.wanted_stage[row] = codes.index_of(d.get("wanted_stage"), codes.STAGES)
        modes = d.get("sought") if profile.is_supply else d.get("cooperation_modes")
        self.modes[row] = codes.bits(modes if isinstance(modes, list | tuple) else (), codes.MODES)
        money = d.get("funding_sought_wan") if profile.is_supply else d.get("budget_wan")
        self.money[row] = float(money) if isinstance(money, int) else math.nan
        degree = profile.degree if profile.is_supply else d.get("degree_required")
        self.degree[row] = codes.DEGREES.get(str(degree), 0)
        self.work[row] = codes.index_of(d.get("work_mode"), codes.WORK_MODES)
        self.editions[row] = codes.edition_bits(profile.editions, self.columns.editions)
        options = codes.SUPPLIER_CRITERIA if profile.is_supply else codes.DEMANDER_CRITERIA
        self.criteria[row] = codes.bits(profile.criteria, options)
        lo = sum(1 << c for c in leaves if c < 64)
        hi = sum(1 << (c - 64) for c in leaves if c >= 64)
        self.leaf[row] = (lo, hi)
        self.group[row] = sum(1 << c for c in set(groups))
        self.root[row] = sum(1 << c for c in set(roots))
        return row

    def remove(self, demand_id: str) -> bool:
        row = self.rows.get(demand_id)
        if row is None or not self.alive[row]:
            return False
        self.alive[row] = False
        self.profiles[row] = None
        return True

    def profile(self, demand_id: str) -> Profile | None:
        """A published profile of this pool (None: unknown or removed)."""
        row = self.rows.get(demand_id)
        return None if row is None else self.profiles[row]

    def set_stats(self, row: int, mu: F32, sd: F32) -> None:
        self.mu[row] = mu
        self.sd[row] = sd

    def live_rows(self) -> NDArray[np.intp]:
        return np.flatnonzero(self.alive[: self.size])
