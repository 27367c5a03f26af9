"""Reference data shipped with the registry (``boyin_registry/data``): districts, editions,
the privacy notice and the taxonomy the store is seeded with."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from boyin_registry.reference.domain import Named, PrivacyNotice, Reference


def _read(name: str) -> dict[str, object]:
    text = resources.files("boyin_registry").joinpath("data", name).read_text("utf-8")
    data: dict[str, object] = json.loads(text)
    return data


@cache
def shipped() -> Reference:
    districts = _read("districts.json")["districts"]
    taxonomy = _read("taxonomy.json")
    assert isinstance(districts, list)
    nodes = taxonomy["nodes"]
    assert isinstance(nodes, list)
    version = taxonomy["version"]
    assert isinstance(version, int)
    return Reference(
        districts={
            d["code"]: Named(d["code"], d["name"]["zh"], d["name"]["en"], d["kind"])
            for d in districts
        },
        taxonomy={
            n["code"]: Named(n["code"], n["name"]["zh"], n["name"]["en"], parent=n["parent"])
            for n in nodes
        },
        taxonomy_version=version,
        notice=_notice(_read("privacy_notice.json")),
        editions={
            e["code"]: Named(e["code"], e["name"]["zh"], e["name"]["en"], kind="edition")
            for e in _list(_read("editions.json"), "editions")
        },
    )


def _list(data: dict[str, object], key: str) -> list[dict[str, Any]]:
    items = data[key]
    assert isinstance(items, list)
    return items


def _notice(data: dict[str, Any]) -> PrivacyNotice:
    return PrivacyNotice(
        version=str(data["version"]),
        purposes={k: (v["zh"], v["en"]) for k, v in data["purposes"].items()},
        text_zh=data["text"]["zh"],
        text_en=data["text"]["en"],
    )
