"""``python -m boyin_platform [--data DIR] [--port N] [--demo]``: the platform in one process.

``python -m boyin_platform create-admin --login L [--password-stdin] [--reset-password]
[--data DIR]`` makes an administrator instead (see :mod:`boyin_platform.admin`).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

import uvicorn
from pydantic import SecretStr

from boyin_platform import admin
from boyin_platform.app import base_url, create_platform
from boyin_platform.demo_fair import load_when_ready
from boyin_platform.demo_people import DEMO_ADMIN_LOGIN, DEMO_PASSWORD
from boyin_shared import logs, telemetry
from boyin_shared.settings import PlatformSettings


def main() -> None:
    if sys.argv[1:2] == ["create-admin"]:
        raise SystemExit(admin.main(sys.argv[2:]))
    parser = argparse.ArgumentParser(
        prog="boyin",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--data", type=Path, default=None, help="data folder (default ./data)")
    parser.add_argument("--host", default=None)
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--demo", action="store_true", help="load the bilingual demo data set")
    args = parser.parse_args()
    overrides = {
        k: v
        for k, v in {"data_dir": args.data, "host": args.host, "port": args.port}.items()
        if v is not None
    }
    settings = PlatformSettings(bus="embedded", store="sqlite", **overrides)
    if args.demo and settings.admin_login is None:
        # the demo's administrator, made by the gateway at start-up (demo-only password)
        settings = settings.model_copy(
            update={"admin_login": DEMO_ADMIN_LOGIN, "admin_password": SecretStr(DEMO_PASSWORD)}
        )
    logs.configure("platform", settings.log_level, as_json=settings.log_json)
    telemetry.configure("platform")  # off unless OTEL_TRACES_EXPORTER names an exporter
    app = create_platform(settings)
    print(f"Boyin is starting: the portal at {base_url(settings)}/", flush=True)
    print(f"GraphQL at {base_url(settings)}/graphql", flush=True)
    print(f"Data folder: {settings.data_dir.resolve()}", flush=True)
    server = uvicorn.Server(
        uvicorn.Config(
            app, host=settings.host, port=settings.port, log_config=None, proxy_headers=False
        )
    )

    async def serve() -> None:
        secret = app.state.settings.identity_secret()
        demo = None
        if args.demo:
            password = settings.admin_password
            loading = load_when_ready(
                base_url(settings),
                secret,
                settings.admin_login or DEMO_ADMIN_LOGIN,
                None if password is None else password.get_secret_value(),
            )
            demo = asyncio.create_task(loading)
        await server.serve()
        if demo is not None:
            demo.cancel()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
