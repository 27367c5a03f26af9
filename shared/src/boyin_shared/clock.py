"""Time and identifiers: UTC only, ISO-8601 strings where stored."""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id(prefix: str = "") -> str:
    """A sortable unique id: 12 hex digits of milliseconds then 16 random hex digits."""
    millis = int(time.time() * 1000)
    return f"{prefix}{millis:012x}{secrets.token_hex(8)}"
