"""Run services as real OS processes against the real Kafka broker and FerretDB."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Environment:
    """One isolated platform on the shared servers: its own topics and databases."""

    kafka_bootstrap: str
    mongo_url: str
    namespace: str
    logs: Path

    def env(self, faults: str = "") -> dict[str, str]:
        return {
            **os.environ,
            "BOYIN_BUS": "kafka",
            "BOYIN_KAFKA_BOOTSTRAP": self.kafka_bootstrap,
            "BOYIN_KAFKA_TOPIC_PREFIX": self.namespace + ".",
            "BOYIN_KAFKA_PARTITIONS": "4",
            "BOYIN_STORE": "mongo",
            "BOYIN_MONGO_URL": self.mongo_url,
            "BOYIN_MONGO_DB_PREFIX": self.namespace,
            "BOYIN_OUTBOX_SWEEP_SECONDS": "0.5",
            "BOYIN_FAULTS": faults,
            "BOYIN_LOG_LEVEL": "INFO",
        }


@dataclass
class ServiceProcess:
    service: str
    environment: Environment
    faults: str = ""
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_path(self) -> Path:
        return self.environment.logs / f"{self.service}-{self.port}-{self.starts}.log"

    async def start(self, *, faults: str | None = None) -> ServiceProcess:
        if faults is not None:
            self.faults = faults
        self.starts += 1
        env = self.environment.env(self.faults) | {"BOYIN_PORT": str(self.port)}
        with self.log_path().open("wb") as log:  # the child keeps its own descriptor
            self.proc = subprocess.Popen(
                [sys.executable, "-m", f"boyin_{self.service}"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        await self.wait_ready()
        return self

    async def wait_ready(self, timeout: float = 90.0) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        async with httpx.AsyncClient(timeout=2.0) as client:
            while True:
                assert self.proc is not None
                if self.proc.poll() is not None:
                    raise AssertionError(f"{self.service} exited early:\n{self.tail()}")
                try:
                    if (await client.get(self.url + "/readyz")).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                if asyncio.get_running_loop().time() > deadline:
                    raise AssertionError(f"{self.service} not ready:\n{self.tail()}")
                await asyncio.sleep(0.2)

    async def wait_exit(self, timeout: float = 60.0) -> int:
        assert self.proc is not None
        deadline = asyncio.get_running_loop().time() + timeout
        while (code := self.proc.poll()) is None:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"{self.service} did not exit:\n{self.tail()}")
            await asyncio.sleep(0.1)
        return code

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()

    def tail(self, lines: int = 40) -> str:
        text = self.log_path().read_text("utf-8", "replace")
        return "\n".join(text.splitlines()[-lines:])
