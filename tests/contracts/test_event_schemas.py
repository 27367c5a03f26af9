"""Every published event's JSON schema is frozen in a snapshot.

An incompatible change to an event must be a new class with the next
``schemaversion``; then write its snapshot with
``uv run python -m tests.contracts.test_event_schemas --write``.
"""

from __future__ import annotations

import inspect
import json
import sys
from pathlib import Path
from typing import ClassVar, Literal, get_args

import pytest

import boyin_shared.contracts  # registers every contract
from boyin_shared.events import CATALOG, Event, EventData

SNAPSHOTS = Path(__file__).parent / "snapshots"


def _contract_events() -> dict[str, str]:
    out = {}
    for (kind, version), cls in sorted(CATALOG.items()):
        if not cls.__module__.startswith(boyin_shared.contracts.__name__):
            continue  # test-only events
        schema = cls.model_json_schema(mode="serialization")
        out[f"{kind}.v{version}.json"] = json.dumps(schema, indent=1, sort_keys=True) + "\n"
    return out


def test_contracts_exist() -> None:
    assert len(_contract_events()) >= 4


@pytest.mark.parametrize("name", sorted(_contract_events()))
def test_schema_matches_snapshot(name: str) -> None:
    path = SNAPSHOTS / name
    assert path.exists(), f"new event {name}: write its snapshot (see module docstring)"
    assert _contract_events()[name] == path.read_text("utf-8"), (
        f"{name} changed: publish a new schemaversion instead of editing a published one"
    )


def test_no_snapshot_without_an_event() -> None:
    """A removed event would strand its consumers: removing one is a deliberate act."""
    assert sorted(p.name for p in SNAPSHOTS.glob("*.json")) == sorted(_contract_events())


def test_each_contract_spells_its_type_once() -> None:
    """The type is a class keyword, from which the field's Literal and default derive."""
    for (kind, version), cls in CATALOG.items():
        if not cls.__module__.startswith(boyin_shared.contracts.__name__):
            continue
        source = inspect.getsource(sys.modules[cls.__module__])
        assert source.count(f'"{kind}"') == 1, f"{kind} v{version} is spelt more than once"
        fields = cls.model_fields
        assert get_args(fields["type"].annotation) == (kind,) and fields["type"].default == kind
        assert get_args(fields["schemaversion"].annotation) == (version,)


def test_a_type_written_as_a_field_is_refused() -> None:
    class Body(EventData):
        n: int

    with pytest.raises(TypeError, match="class keyword"):

        class Written(Event):  # the old spelling: the type string twice
            topic: ClassVar[str] = "boyin.test.twice"
            type: Literal["boyin.test.twice"] = "boyin.test.twice"
            source: Literal["/boyin/tests"] = "/boyin/tests"
            schemaversion: Literal[1] = 1
            data: Body

    assert ("boyin.test.twice", 1) not in CATALOG


if __name__ == "__main__" and "--write" in sys.argv:
    for file_name, text in _contract_events().items():
        (SNAPSHOTS / file_name).write_text(text, "utf-8")
        print("wrote", file_name)
