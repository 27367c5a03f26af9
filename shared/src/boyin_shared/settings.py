"""Settings every service reads from the environment (prefix ``BOYIN_``) at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, IPvAnyNetwork, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class PlatformSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BOYIN_", extra="ignore")

    #: ``embedded``: the in-process bus (a log in ``data_dir/bus.sqlite``); ``kafka``: a broker.
    bus: Literal["embedded", "kafka"] = "embedded"
    kafka_bootstrap: str = "127.0.0.1:19092"
    kafka_partitions: int = Field(default=6, ge=1)
    #: Replicas of the topics the platform creates (3 on a production cluster).
    kafka_replication_factor: int = Field(default=1, ge=1)
    #: Prefix of every topic name, so several environments can share one cluster.
    kafka_topic_prefix: str = ""
    #: ``sqlite``: one file per service under ``data_dir``; ``mongo``: a MongoDB-wire server.
    store: Literal["sqlite", "mongo"] = "sqlite"
    mongo_url: str = "mongodb://127.0.0.1:37017/?directConnection=true"
    #: Each service's database is ``<prefix><service>`` (Latin letters only for FerretDB).
    mongo_db_prefix: str = "boyin"
    data_dir: Path = Path("data")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    #: The gateway's processes on its one port (each with its own connection pools, bus
    #: client and caches; rate limits are counted per process, as per replica).
    workers: int = Field(default=1, ge=1, le=64)
    log_level: str = "INFO"
    log_json: bool = True
    outbox_sweep_seconds: float = Field(default=2.0, gt=0)
    #: Base URLs of the other services' HTTP APIs (gateway and cross-service reads).
    service_urls: dict[str, str] = Field(default_factory=dict)
    #: Signs the identity the gateway passes to the services (``X-Boyin-Identity``).
    #: Required when services run as separate processes; the single-process platform
    #: makes a random one at start-up.
    internal_token_secret: SecretStr | None = None
    #: Signs the access tokens the gateway gives people (``Authorization: Bearer``).
    jwt_secret: SecretStr | None = None
    #: The first administrator, created at the gateway's start-up if missing.
    admin_login: str | None = None
    admin_password: SecretStr | None = None
    #: Where uploaded files are kept (default ``data_dir/files``; a mounted volume in production).
    files_dir: Path | None = None
    max_upload_mb: int = Field(default=20, ge=1, le=200)
    #: Megabytes one account (staff excepted) may upload in 24 hours (0: no quota).
    upload_quota_mb_per_day: int = Field(default=200, ge=0)
    #: Hours an uploaded file may stay attached to nothing (no demand, no service holding
    #: it) before the registry's sweep removes it.
    orphan_upload_grace_hours: float = Field(default=24.0, ge=0)
    # -- notifications (the registry's e-mail channel; see docs/notifications.md) -------
    #: The SMTP server the registry sends notifications through; unset: no mail leaves
    #: the platform, the registry keeps each message in its mailbox (operators read it).
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    #: ``starttls`` (upgrade on the submission port), ``tls`` (implicit TLS, port 465),
    #: ``none`` (a relay on a trusted network, or a test server).
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = "Boyin 博引 <no-reply@boyin.example>"
    smtp_timeout_seconds: float = Field(default=30.0, gt=0)
    #: How people reach the gateway: the base of the unsubscribe links in every message.
    public_url: str = "http://127.0.0.1:8000"
    #: Signs the unsubscribe links; unset: a random key made once and kept in the
    #: registry's store (links keep working across restarts). At least 32 bytes.
    unsubscribe_secret: SecretStr | None = None
    #: How often the registry's sender looks for notifications due.
    notify_interval_seconds: float = Field(default=2.0, gt=0)
    # -- the gateway's protective limits (see boyin_gateway.limits) --------------------
    #: Answer GraphQL introspection (and serve GraphiQL); ``false`` in production.
    graphql_introspection: bool = True
    #: Deepest selection nesting a GraphQL operation may have.
    graphql_max_depth: int = Field(default=12, ge=2, le=100)
    #: Most lexical tokens (names, punctuation, values) a GraphQL document may have.
    graphql_max_tokens: int = Field(default=2000, ge=100)
    #: Most aliased fields a GraphQL document may have (aliases multiply the work).
    graphql_max_aliases: int = Field(default=20, ge=0)
    #: Most fields a GraphQL document may select, each spread of a fragment counted.
    graphql_max_fields: int = Field(default=400, ge=10)
    #: Most work of the merge check: the sum, over response paths, of the square of the
    #: number of fields selected at that path (the check compares them pairwise; pairs of
    #: leaf fields weigh 1/32).
    graphql_max_merges: int = Field(default=1000, ge=10)
    #: Largest request body the gateway reads, in KiB (multipart uploads: max_upload_mb + 1 MiB).
    max_request_kb: int = Field(default=1024, ge=1)
    #: Requests per minute of one signed-in account, per gateway process (0: no limit).
    rate_limit_per_minute: int = Field(default=600, ge=0)
    #: Requests per minute from one IP address without a sign-in, per process (0: no limit).
    rate_limit_anonymous_per_minute: int = Field(default=120, ge=0)
    #: Failed sign-ins allowed per login and IP address, regained over sign_in_window_seconds.
    sign_in_attempts: int = Field(default=10, ge=0)
    sign_in_window_seconds: int = Field(default=900, ge=1)
    #: Password checks (sign-ins and sign-ups) per IP address and minute; a successful
    #: sign-in gives its check back (0: no limit).
    password_checks_per_address: int = Field(default=60, ge=0)
    #: Password checks per second in all, per gateway process (about what one core hashes).
    password_checks_per_second: int = Field(default=20, ge=0)
    #: Registrations of one's own talent or organisation an account may attempt per hour
    #: (a success gives its attempt back): bounds asking "is this e-mail registered?".
    registrations_per_hour: int = Field(default=10, ge=0)
    #: The reverse proxies (addresses or networks) whose ``X-Forwarded-For`` is believed, as a
    #: JSON list, e.g. ``["10.8.0.12", "10.8.1.0/28"]``; none by default: the connection's
    #: peer is the client.
    trusted_proxies: tuple[IPvAnyNetwork, ...] = ()
    #: The bearer token a scraper sends for ``/metrics`` (Prometheus: the scrape config's
    #: ``authorization`` credentials), at least 32 bytes; see :mod:`boyin_shared.scrape`.
    #: Unset: ``/metrics`` answers only ``metrics_networks`` and, out of strict mode
    #: (introspection on), this machine.
    metrics_token: SecretStr | None = None
    #: Networks whose connections may read ``/metrics`` without the token, as a JSON list
    #: (e.g. ``["10.42.7.0/24"]``, the monitoring network); none by default.
    metrics_networks: tuple[IPvAnyNetwork, ...] = ()
    #: The built web portal the gateway serves at ``/`` (default: ``gateway/portal/dist``
    #: next to the gateway's source; see ``boyin_gateway.portal``).
    portal_dir: Path | None = None
    #: Fail points for fault tests; see :mod:`boyin_shared.faults`.
    faults: str = ""

    def identity_secret(self) -> str:
        return _secret(
            self.internal_token_secret,
            "BOYIN_INTERNAL_TOKEN_SECRET",
            "every service and the gateway need the same secret to trust each other's calls",
        )

    def access_token_secret(self) -> str:
        return _secret(
            self.jwt_secret, "BOYIN_JWT_SECRET", "the gateway signs access tokens with it"
        )

    def database_name(self, service: str) -> str:
        return f"{self.mongo_db_prefix}{service}"


def _secret(value: SecretStr | None, name: str, why: str) -> str:
    if value is None:
        raise RuntimeError(f"{name} is not set: {why}")
    secret = value.get_secret_value()
    if len(secret.encode()) < 32:
        raise RuntimeError(f"{name} must be at least 32 bytes")
    return secret
