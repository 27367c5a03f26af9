"""Services as their own OS processes (the local production-like mode, and the tests)."""

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
class ManagedProcess:
    """``python -m <module>`` with its own environment, log file and readiness probe."""

    name: str
    module: str
    env: dict[str, str]
    logs: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_path(self) -> Path:
        return self.logs / f"{self.name}-{self.port}-{self.starts}.log"

    async def start(self, *, extra_env: dict[str, str] | None = None) -> ManagedProcess:
        self.starts += 1
        self.logs.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, **self.env, **(extra_env or {}), "BOYIN_PORT": str(self.port)}
        with self.log_path().open("wb") as log:  # the child keeps its own descriptor
            self.proc = subprocess.Popen(
                [sys.executable, "-m", self.module], env=env, stdout=log, stderr=subprocess.STDOUT
            )
        await self.wait_ready()
        return self

    async def wait_ready(self, timeout: float = 90.0) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        async with httpx.AsyncClient(timeout=2.0) as client:
            while True:
                assert self.proc is not None
                if self.proc.poll() is not None:
                    raise RuntimeError(f"{self.name} exited early:\n{self.tail()}")
                try:
                    if (await client.get(self.url + "/readyz")).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                if asyncio.get_running_loop().time() > deadline:
                    raise RuntimeError(f"{self.name} not ready in {timeout} s:\n{self.tail()}")
                await asyncio.sleep(0.2)

    async def wait_exit(self, timeout: float = 60.0) -> int:
        assert self.proc is not None
        deadline = asyncio.get_running_loop().time() + timeout
        while (code := self.proc.poll()) is None:
            if asyncio.get_running_loop().time() > deadline:
                raise RuntimeError(f"{self.name} did not exit:\n{self.tail()}")
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
        path = self.log_path()
        if not path.exists():
            return "(no log)"
        return "\n".join(path.read_text("utf-8", "replace").splitlines()[-lines:])


def platform_env(
    *,
    kafka_bootstrap: str,
    mongo_url: str,
    secret: str,
    jwt_secret: str | None = None,
    namespace: str = "",
    service_urls: dict[str, str] | None = None,
) -> dict[str, str]:
    """The environment of a service process against Kafka and a MongoDB-wire server."""
    import json

    env = {
        "BOYIN_BUS": "kafka",
        "BOYIN_KAFKA_BOOTSTRAP": kafka_bootstrap,
        "BOYIN_STORE": "mongo",
        "BOYIN_MONGO_URL": mongo_url,
        "BOYIN_INTERNAL_TOKEN_SECRET": secret,
        "BOYIN_JWT_SECRET": jwt_secret or secret[::-1],
    }
    if namespace:
        env["BOYIN_KAFKA_TOPIC_PREFIX"] = namespace + "."
        env["BOYIN_MONGO_DB_PREFIX"] = namespace
    if service_urls:
        env["BOYIN_SERVICE_URLS"] = json.dumps(service_urls)
    return env
