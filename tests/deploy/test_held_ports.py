"""``kafka.sh`` and ``ferretdb.sh`` notice a port held by something that is not theirs.

Each script runs with a fresh cache (``BOYIN_CACHE``) and free ports of its own, one of
them held by a dummy listener of this test process: ``status`` names the holder (its pid
and command line) and ``start`` refuses to start. The shared servers on the default ports
are never touched: every call sets its own ports.
"""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KAFKA = ROOT / "deploy" / "kafka" / "kafka.sh"
FERRETDB = ROOT / "deploy" / "ferretdb" / "ferretdb.sh"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def held_port() -> Iterator[int]:
    """A port of 127.0.0.1 that this process listens on (the foreign server)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port: int = s.getsockname()[1]
        yield port


def run(script: Path, command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(script), command],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_kafka_names_the_holder_and_refuses_to_start(tmp_path: Path, held_port: int) -> None:
    env = {
        "BOYIN_CACHE": str(tmp_path),
        "BOYIN_KAFKA_PORT": str(held_port),
        "BOYIN_KAFKA_CONTROLLER_PORT": str(free_port()),
    }
    status = run(KAFKA, "status", env)
    assert status.returncode == 4, status.stdout + status.stderr
    assert f"port {held_port} is held by pid {os.getpid()}" in status.stdout
    assert "pytest" in status.stdout or "python" in status.stdout  # its command line
    start = run(KAFKA, "start", env)
    assert start.returncode != 0
    assert f"port {held_port} is held by pid {os.getpid()}" in start.stderr
    assert "not starting" in start.stderr
    assert not (tmp_path / "kafka" / "kafka.pid").exists()


def test_kafka_controller_port_counts_too(tmp_path: Path, held_port: int) -> None:
    env = {
        "BOYIN_CACHE": str(tmp_path),
        "BOYIN_KAFKA_PORT": str(free_port()),
        "BOYIN_KAFKA_CONTROLLER_PORT": str(held_port),
    }
    status = run(KAFKA, "status", env)
    assert status.returncode == 4
    assert f"port {held_port} is held by pid {os.getpid()}" in status.stdout


def test_ferretdb_names_the_holder_and_refuses_to_start(tmp_path: Path, held_port: int) -> None:
    env = {"BOYIN_CACHE": str(tmp_path), "BOYIN_MONGO_PORT": str(held_port)}
    status = run(FERRETDB, "status", env)
    assert status.returncode == 4, status.stdout + status.stderr
    assert f"port {held_port} is held by pid {os.getpid()}" in status.stdout
    start = run(FERRETDB, "start", env)
    assert start.returncode != 0
    assert f"port {held_port} is held by pid {os.getpid()}" in start.stderr
    assert "not starting" in start.stderr
    assert not (tmp_path / "ferretdb" / "bin").exists()  # refused before building anything


def test_free_ports_are_reported_as_not_running(tmp_path: Path) -> None:
    kafka = run(
        KAFKA,
        "status",
        {
            "BOYIN_CACHE": str(tmp_path),
            "BOYIN_KAFKA_PORT": str(free_port()),
            "BOYIN_KAFKA_CONTROLLER_PORT": str(free_port()),
        },
    )
    assert kafka.returncode == 3
    assert "not running" in kafka.stdout
    ferretdb = run(
        FERRETDB, "status", {"BOYIN_CACHE": str(tmp_path), "BOYIN_MONGO_PORT": str(free_port())}
    )
    assert ferretdb.returncode == 3
    assert "stopped" in ferretdb.stdout
