"""The industry taxonomy as operators maintain it: add, rename and retire codes.

Seeded from the shipped data file on first start; every change bumps the taxonomy version
and publishes ``TaxonomyChanged``. Retired codes stay on the demands that carry them but
cannot be chosen again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from boyin_registry.reference.domain import Named, Reference
from boyin_registry.reference.events import taxonomy_event
from boyin_registry.reference.repository import Taxonomy
from boyin_registry.reference.shipped import shipped
from boyin_shared.errors import FieldError, Message, invalid, not_found
from boyin_shared.identity import Actor, Role, require

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,31}$")


def _taken(code: str) -> FieldError:
    return FieldError(
        "code", "TAKEN", Message(f"代码 {code} 已存在", f"code {code} exists already")
    )


def _names_required() -> FieldError:
    return FieldError(
        "name", "REQUIRED", Message("请填写中文和英文名称", "give the Chinese and English names")
    )


@dataclass
class ReferenceData:
    """The current reference data, re-read when another writer changed the taxonomy."""

    taxonomy: Taxonomy
    _cached: Reference = field(default_factory=shipped)

    async def prepare(self) -> None:
        await self.taxonomy.track()
        base = shipped()
        if await self.taxonomy.version() is None:
            # Seeding announces every code, so consumers (matching) learn the whole tree.
            for node in base.taxonomy.values():
                event = taxonomy_event(node, "added", base.taxonomy_version)
                await self.taxonomy.seed(node, [event])
            await self.taxonomy.seeded(base.taxonomy_version)
        await self.current()

    @property
    def cached(self) -> Reference:
        """The reference data as of the last :meth:`current` (no I/O)."""
        return self._cached

    async def current(self) -> Reference:
        stored = await self.taxonomy.version()
        version = self._cached.taxonomy_version if stored is None else stored
        if version != self._cached.taxonomy_version or stored is None:
            self._cached = self._cached.with_taxonomy(await self.taxonomy.all(), version)
        return self._cached

    async def _changed(self, code: str, change: str, version: int) -> None:
        stored = await self.taxonomy.get(code)
        assert stored is not None
        await self.taxonomy.stamp(stored, version, [taxonomy_event(stored.node, change, version)])
        await self.current()

    async def add(self, actor: Actor, code: str, parent: str | None, zh: str, en: str) -> None:
        require(actor, Role.OPERATOR, Role.ADMIN)
        ref = await self.current()
        problems = []
        if not _CODE.match(code):
            problems.append(
                FieldError(
                    "code",
                    "CODE",
                    Message(
                        "代码只能用大写字母、数字和连字符",
                        "use capital letters, digits and hyphens",
                    ),
                )
            )
        if parent is not None and parent not in ref.taxonomy:
            problems.append(
                FieldError(
                    "parent",
                    "UNKNOWN_TAXONOMY",
                    Message(f"未知的上级代码：{parent}", f"unknown parent code: {parent}"),
                )
            )
        if not zh.strip() or not en.strip():
            problems.append(_names_required())
        if await self.taxonomy.get(code) is not None:
            problems.append(_taken(code))
        if (
            parent is not None
            and ref.taxonomy.get(parent) is not None
            and ref.taxonomy[parent].kind == "retired"
        ):
            problems.append(
                FieldError(
                    "parent",
                    "RETIRED_TAXONOMY",
                    Message(f"上级代码 {parent} 已停用", f"parent code {parent} is retired"),
                )
            )
        if problems:
            raise invalid(problems)
        version = await self.taxonomy.bump()
        if not await self.taxonomy.add(Named(code, zh.strip(), en.strip(), parent=parent), version):
            raise invalid([_taken(code)])
        await self._changed(code, "added", version)

    async def rename(self, actor: Actor, code: str, zh: str, en: str) -> None:
        require(actor, Role.OPERATOR, Role.ADMIN)
        if await self.taxonomy.get(code) is None:
            raise not_found("taxonomy code", code, zh_kind="产业分类")
        if not zh.strip() or not en.strip():
            raise invalid([_names_required()])
        version = await self.taxonomy.bump()
        await self.taxonomy.rename(code, zh.strip(), en.strip())
        await self._changed(code, "renamed", version)

    async def retire(self, actor: Actor, code: str) -> None:
        require(actor, Role.OPERATOR, Role.ADMIN)
        stored = await self.taxonomy.get(code)
        if stored is None:
            raise not_found("taxonomy code", code, zh_kind="产业分类")
        if not stored.active:
            return  # retired already: no new version, nothing announced
        version = await self.taxonomy.bump()
        await self.taxonomy.retire(code)
        await self._changed(code, "retired", version)
