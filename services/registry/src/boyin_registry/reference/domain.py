"""Reference data as the other features read it (plain values, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Named:
    code: str
    zh: str
    en: str
    kind: str = ""
    parent: str | None = None


@dataclass(frozen=True)
class PrivacyNotice:
    version: str
    purposes: dict[str, tuple[str, str]]  # code -> (zh, en)
    text_zh: str
    text_en: str


@dataclass(frozen=True)
class Reference:
    districts: dict[str, Named]
    taxonomy: dict[str, Named]
    taxonomy_version: int
    editions: dict[str, Named]
    notice: PrivacyNotice

    def with_taxonomy(self, nodes: dict[str, Named], version: int) -> Reference:
        return replace(self, taxonomy=nodes, taxonomy_version=version)

    def ancestors(self, code: str) -> list[str]:
        """``code`` and its parents up to the root, nearest first."""
        chain = []
        node = self.taxonomy.get(code)
        while node is not None:
            chain.append(node.code)
            node = self.taxonomy.get(node.parent) if node.parent else None
        return chain
