import uvicorn

from boyin_gateway.app import create_app
from boyin_shared import logs, telemetry
from boyin_shared.settings import PlatformSettings

settings = PlatformSettings()
logs.configure("gateway", settings.log_level, as_json=settings.log_json)
telemetry.configure("gateway")
uvicorn.run(
    create_app(settings),
    host=settings.host,
    port=settings.port,
    log_config=None,
    proxy_headers=False,  # the client address is the gateway's own matter (addresses.py)
)
