"""Structured JSON log lines carrying the current trace and span ids (OpenTelemetry's
context), with secrets redacted.

Nothing that lets someone act as someone else may reach a log line, whoever logs it (our
code, uvicorn's access log, httpx's request log, strawberry's error log quoting the query):
the handler redacts every line, its message, its exception and its extra fields, before it
is written:

- a path segment or query parameter that carries a credential: ``/calendar/<token>.ics``,
  ``/checkin/<token>``, ``?token=``, ``?secret=``, ``?password=``, ``?sig=``...;
- bearer tokens and anything shaped like a JWT;
- a GraphQL argument or JSON field named like a secret written inline
  (``password: "..."``, ``"refreshToken": "..."``).
"""

from __future__ import annotations

import json
import logging
import re
import sys
from typing import IO, Any

from boyin_shared import propagation

_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}

REDACTED = "***"
_SECRET_NAME = r"(?:password|passwd|secret|token|accesstoken|refreshtoken|access_token|refresh_token|sig|signature|api_key|apikey|authorization)"
_REDACTIONS: list[tuple[re.Pattern[str], str]] = [
    # credentials in paths: the calendar feed and check-in links
    (re.compile(r"(/(?:calendar|checkin|check-in|unsubscribe)/)[^/\s?#\"']+"), rf"\1{REDACTED}"),
    # credentials in query strings and form bodies
    (re.compile(rf"([?&]{_SECRET_NAME}=)[^&\s\"'#]+", re.I), rf"\1{REDACTED}"),
    # bearer tokens, and anything shaped like a JWT
    (re.compile(r"(bearer\s+)[\w.~+/=-]+", re.I), rf"\1{REDACTED}"),
    (re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]*"), REDACTED),
    # secrets written inline in a GraphQL document or a JSON body
    (
        re.compile(rf"(\"?\w*{_SECRET_NAME}\"?\s*:\s*)\"(?:[^\"\\]|\\.)*\"", re.I),
        rf'\1"{REDACTED}"',
    ),
]


def redact(text: str) -> str:
    """``text`` with every credential it shows replaced by ``***`` (see the module's doc)."""
    for pattern, replacement in _REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


def _redacted(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


class RedactingFormatter(logging.Formatter):
    """The plain formatter of human-readable logs, redacted line by line."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "service": self.service,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        ids = propagation.current_ids()
        if ids is not None:
            entry["trace_id"], entry["span_id"] = ids
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = _redacted(value)
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(
    service: str, level: str = "INFO", *, as_json: bool = True, stream: IO[str] | None = None
) -> None:
    """Every log line of the process through one redacting handler, to ``stream`` (stderr)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    if as_json:
        handler.setFormatter(JsonFormatter(service))
    else:
        handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    logging.getLogger("aiokafka").setLevel(logging.WARNING)
