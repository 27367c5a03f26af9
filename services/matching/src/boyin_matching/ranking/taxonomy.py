"""The taxonomy tree as matching learns it from the registry's events, and how close two
sets of codes are in it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class TaxonomyTree:
    parents: dict[str, str | None] = field(default_factory=dict)
    names: dict[str, tuple[str, str]] = field(default_factory=dict)
    _chains: dict[str, list[str]] = field(default_factory=dict)

    def set(self, code: str, parent: str | None, zh: str, en: str) -> None:
        self.parents[code] = parent
        self.names[code] = (zh, en)
        self._chains.clear()

    def chain(self, code: str) -> list[str]:
        """``code`` and its ancestors, nearest first."""
        cached = self._chains.get(code)
        if cached is None:
            cached = self._chains[code] = self._walk(code)
        return cached

    def _walk(self, code: str) -> list[str]:
        out = []
        seen = set()
        node: str | None = code
        while node is not None and node not in seen:
            seen.add(node)
            out.append(node)
            node = self.parents.get(node)
        return out

    def root_of(self, code: str) -> str:
        return self.chain(code)[-1]

    def group_of(self, code: str) -> str:
        """The child of the root on the way to ``code`` (a cluster group such as "leading
        clusters"); a group-level code is its own group."""
        chain = self.chain(code)
        return chain[-2] if len(chain) >= 2 else code

    def closeness(self, a: str, b: str) -> float:
        """1 for the same code, 0.6 for the same cluster group, 0.25 for the same system
        (e.g. both in "33618"), else 0. Unknown codes only match themselves."""
        if a == b:
            return 1.0
        if a not in self.parents or b not in self.parents:
            return 0.0
        ca, cb = self.chain(a), self.chain(b)
        if len(ca) >= 2 and len(cb) >= 2 and ca[-2] == cb[-2]:
            return 0.6
        if ca[-1] == cb[-1]:
            return 0.25
        return 0.0

    def best(
        self, left: Iterable[str], right: Iterable[str]
    ) -> tuple[float, str | None, str | None]:
        """The closest pair of codes across two sets: (closeness, code on the left, on the right)."""
        best: tuple[float, str | None, str | None] = (0.0, None, None)
        rights = list(right)
        for a in left:
            for b in rights:
                c = self.closeness(a, b)
                if c > best[0]:
                    best = (c, a, b)
        return best

    def name(self, code: str, lang: str) -> str:
        zh, en = self.names.get(code, (code, code))
        return zh if lang == "zh" else en
