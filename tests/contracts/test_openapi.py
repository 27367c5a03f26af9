"""Every service's HTTP API (its OpenAPI document) is frozen in a snapshot.

The gateway and other clients parse these shapes; a change to a path, a parameter or a
model fails here. Adding to an API is done on purpose: rewrite the snapshots with
``uv run python -m tests.contracts.test_openapi --write`` and say in the commit why the
change is compatible (new optional fields and new paths are; a removed or renamed field,
a new required input or a changed type is not: that is a new path or version).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr

from boyin_platform.services import definitions
from boyin_shared.service import ServiceDefinition, ServiceHost
from boyin_shared.settings import PlatformSettings

SNAPSHOTS = Path(__file__).parent / "openapi"
SERVICES = definitions()


def _document(definition: ServiceDefinition) -> str:
    settings = PlatformSettings(internal_token_secret=SecretStr("s" * 32))
    app = ServiceHost(definition, settings).app
    return json.dumps(app.openapi(), indent=1, sort_keys=True, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("definition", SERVICES, ids=[s.name for s in SERVICES])
def test_openapi_matches_snapshot(definition: ServiceDefinition) -> None:
    path = SNAPSHOTS / f"{definition.name}.json"
    assert path.exists(), f"new service {definition.name}: write its snapshot (module docstring)"
    assert _document(definition) == path.read_text("utf-8"), (
        f"the HTTP API of {definition.name} changed; see this module's docstring"
    )


def test_no_snapshot_without_a_service() -> None:
    assert sorted(p.stem for p in SNAPSHOTS.glob("*.json")) == sorted(s.name for s in SERVICES)


if __name__ == "__main__" and "--write" in sys.argv:
    for service in SERVICES:
        (SNAPSHOTS / f"{service.name}.json").write_text(_document(service), "utf-8")
        print("wrote", service.name)
