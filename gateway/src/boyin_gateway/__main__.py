"""``python -m boyin_gateway``: the gateway, in ``BOYIN_WORKERS`` processes on one port."""

from __future__ import annotations

import uvicorn
from fastapi import FastAPI

from boyin_gateway.app import create_app
from boyin_shared import logs, telemetry
from boyin_shared.settings import PlatformSettings


def app() -> FastAPI:
    """The gateway of this process's settings (each worker process makes its own)."""
    settings = PlatformSettings()
    logs.configure("gateway", settings.log_level, as_json=settings.log_json)
    telemetry.configure("gateway")
    return create_app(settings)


def main() -> None:
    settings = PlatformSettings()
    uvicorn.run(
        "boyin_gateway.__main__:app",
        factory=True,
        workers=settings.workers,
        host=settings.host,
        port=settings.port,
        log_config=None,
        proxy_headers=False,  # the client address is the gateway's own matter (addresses.py)
    )


if __name__ == "__main__":
    main()
