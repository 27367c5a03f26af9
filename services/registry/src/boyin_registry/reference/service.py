"""The industry taxonomy as operators maintain it: add, rename and retire codes.

Seeded from the shipped data file on first start; every change bumps the taxonomy version
and publishes ``TaxonomyChanged``. Retired codes stay on the demands that carry them but
cannot be chosen again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from boyin_registry.reference import Named, Reference, shipped
from boyin_shared.clock import utcnow
from boyin_shared.contracts.common import LocalizedText
from boyin_shared.contracts.registry import TaxonomyChange, TaxonomyChanged
from boyin_shared.errors import BoyinError, FieldError, Message, invalid, not_found
from boyin_shared.identity import Actor, Role, require
from boyin_shared.outbox import Outbox
from boyin_shared.store import AlreadyExists, DocumentStore, Update

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,31}$")
META = "version"


@dataclass
class ReferenceData:
    """The current reference data, re-read when another writer changed the taxonomy."""

    store: DocumentStore
    outbox: Outbox
    _cached: Reference = field(default_factory=shipped)

    def __post_init__(self) -> None:
        self.nodes = self.store.collection("taxonomy")
        self.meta = self.store.collection("taxonomy_meta")

    async def prepare(self) -> None:
        await self.outbox.track(self.nodes)
        base = shipped()
        if await self.meta.get(META) is None:
            # Seeding announces every code, so consumers (matching) learn the whole tree.
            for node in base.taxonomy.values():
                event = _event(node, "added", base.taxonomy_version)
                state = {k: v for k, v in _doc(node, active=True).items() if k != "_id"}
                try:
                    await self.outbox.create(self.nodes, node.code, state, [event])
                except AlreadyExists:
                    pass  # a concurrent first start seeded it
            try:
                await self.meta.insert({"_id": META, "version": base.taxonomy_version})
            except AlreadyExists:
                pass
        await self.current()

    @property
    def cached(self) -> Reference:
        """The reference data as of the last :meth:`current` (no I/O)."""
        return self._cached

    async def current(self) -> Reference:
        meta = await self.meta.get(META)
        version = int(meta["version"]) if meta else self._cached.taxonomy_version
        if version != self._cached.taxonomy_version or meta is None:
            docs = await self.nodes.find({})
            nodes = {
                d["_id"]: Named(
                    d["_id"],
                    d["name"]["zh"],
                    d["name"]["en"],
                    kind="" if d["active"] else "retired",
                    parent=d.get("parent"),
                )
                for d in docs
            }
            self._cached = self._cached.with_taxonomy(nodes, version)
        return self._cached

    async def _bump(self) -> int:
        for _ in range(20):
            meta = await self.meta.get(META)
            assert meta is not None
            version = int(meta["version"]) + 1
            if await self.meta.update(
                META, Update(set={"version": version}), where={"version": version - 1}
            ):
                return version
        raise BoyinError(
            code="CONCURRENT_CHANGE",
            message=Message("分类正被他人修改，请重试", "the taxonomy is being changed; retry"),
            status=409,
        )

    async def _changed(self, code: str, change: str, version: int) -> None:
        doc = await self.nodes.get(code)
        assert doc is not None
        node = Named(code, doc["name"]["zh"], doc["name"]["en"], parent=doc.get("parent"))
        event = _event(node, change, version)
        await self.outbox.save(self.nodes, doc, {"version": version}, [event])
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
            problems.append(
                FieldError(
                    "name",
                    "REQUIRED",
                    Message("请填写中文和英文名称", "give the Chinese and English names"),
                )
            )
        if await self.nodes.get(code) is not None:
            problems.append(
                FieldError(
                    "code", "TAKEN", Message(f"代码 {code} 已存在", f"code {code} exists already")
                )
            )
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
        version = await self._bump()
        node = Named(code, zh.strip(), en.strip(), parent=parent)
        try:
            await self.nodes.insert(_doc(node, active=True) | {"version": version})
        except AlreadyExists:
            raise invalid(
                [
                    FieldError(
                        "code",
                        "TAKEN",
                        Message(f"代码 {code} 已存在", f"code {code} exists already"),
                    )
                ]
            ) from None
        await self._changed(code, "added", version)

    async def rename(self, actor: Actor, code: str, zh: str, en: str) -> None:
        require(actor, Role.OPERATOR, Role.ADMIN)
        if await self.nodes.get(code) is None:
            raise not_found("taxonomy code", code, zh_kind="产业分类")
        if not zh.strip() or not en.strip():
            raise invalid(
                [
                    FieldError(
                        "name",
                        "REQUIRED",
                        Message("请填写中文和英文名称", "give the Chinese and English names"),
                    )
                ]
            )
        version = await self._bump()
        await self.nodes.update(code, Update(set={"name": {"zh": zh.strip(), "en": en.strip()}}))
        await self._changed(code, "renamed", version)

    async def retire(self, actor: Actor, code: str) -> None:
        require(actor, Role.OPERATOR, Role.ADMIN)
        doc = await self.nodes.get(code)
        if doc is None:
            raise not_found("taxonomy code", code, zh_kind="产业分类")
        if not doc["active"]:
            return  # retired already: no new version, nothing announced
        version = await self._bump()
        await self.nodes.update(
            code, Update(set={"active": False, "retired_at": utcnow().isoformat()})
        )
        await self._changed(code, "retired", version)


def _doc(node: Named, *, active: bool) -> dict[str, object]:
    return {
        "_id": node.code,
        "parent": node.parent,
        "name": {"zh": node.zh, "en": node.en},
        "active": active,
    }


def _event(node: Named, change: str, version: int) -> TaxonomyChanged:
    return TaxonomyChanged.create(
        subject=node.code,
        data=TaxonomyChange(
            code=node.code,
            parent=node.parent,
            name=LocalizedText(zh=node.zh, en=node.en),
            change=change,
            version=version,
        ),
        sequence=version,
    )
