"""The Grafana dashboards of the fair, as JSON (``deploy/observability/grafana/dashboards``,
written by ``python -m boyin_platform.manifests --write``).

- ``boyin-fair``: the funnel (demands submitted and published, matches proposed and
  accepted, meetings, agreements: the events the outbox relays published, by type), live
  feed subscribers, imports, the rematch job and the scheduler's gap;
- ``boyin-pipeline``: matching latency, consumer lag, the outboxes, dead letters and errors.

Every query reads the Prometheus data source ``prometheus`` (provisioned in compose; in a
cluster, the data source of that uid). ``tests/deploy/test_observability.py`` checks that
every metric a panel reads is one the services export.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

Panel = dict[str, Any]

DATASOURCE = {"type": "prometheus", "uid": "prometheus"}
#: the fair's steps, in order, by the event that marks each
FUNNEL = (
    ("demands submitted", "boyin.registry.demand.submitted"),
    ("demands published", "boyin.registry.demand.published"),
    ("matches proposed", "boyin.matching.matches.proposed"),
    ("matches accepted by both", "boyin.matching.match.mutually_accepted"),
    ("meetings scheduled", "boyin.scheduling.meeting.scheduled"),
    ("agreements signed", "boyin.agreements.agreement.signed"),
    ("agreements landed", "boyin.agreements.agreement.landed"),
)


def _target(expr: str, legend: str = "", ref: str = "A") -> dict[str, Any]:
    return {"datasource": DATASOURCE, "expr": expr, "legendFormat": legend, "refId": ref}


def _panel(
    kind: str, title: str, targets: list[dict[str, Any]], *, w: int = 12, h: int = 8, unit: str = ""
) -> Panel:
    panel: Panel = {
        "type": kind,
        "title": title,
        "datasource": DATASOURCE,
        "targets": [{**t, "refId": chr(ord("A") + i)} for i, t in enumerate(targets)],
        "gridPos": {"w": w, "h": h},
        "fieldConfig": {"defaults": {"unit": unit} if unit else {}, "overrides": []},
        "options": {},
    }
    return panel


def _funnel() -> Panel:
    targets = [
        _target(
            f'sum(increase(boyin_events_published_total{{type="{kind}"}}[$__range]))',
            step,
        )
        for step, kind in FUNNEL
    ]
    panel = _panel("bargauge", "Funnel of the fair (in the time range)", targets, w=24, h=10)
    panel["options"] = {"orientation": "horizontal", "displayMode": "gradient"}
    return panel


def _fair() -> list[Panel]:
    return [
        _funnel(),
        _panel(
            "timeseries",
            "Events of the fair per minute, by type",
            [
                _target(
                    "sum by (type) (rate(boyin_events_published_total[5m])) * 60",
                    "{{type}}",
                )
            ],
        ),
        _panel(
            "stat",
            "Live feed subscribers",
            [_target("sum(boyin_feed_subscribers)", "subscribers")],
            w=6,
        ),
        _panel(
            "stat",
            "Rematch job progress",
            [_target("max(boyin_rematch_progress_ratio)", "done")],
            w=6,
            unit="percentunit",
        ),
        _panel(
            "timeseries",
            "Spreadsheet rows imported per second, by outcome",
            [
                _target(
                    "sum by (kind, outcome) (rate(boyin_import_rows_total[5m]))",
                    "{{kind}} {{outcome}}",
                )
            ],
            unit="rows/s",
        ),
        _panel(
            "timeseries",
            "Schedule solver: gap to the LP bound, by edition",
            [_target("max by (edition) (boyin_schedule_solver_gap_ratio)", "{{edition}}")],
            unit="percentunit",
        ),
        _panel(
            "stat",
            "Rematch jobs finished (in the time range)",
            [
                _target(
                    "sum by (outcome) (increase(boyin_rematch_runs_total[$__range]))", "{{outcome}}"
                )
            ],
        ),
    ]


def _pipeline() -> list[Panel]:
    return [
        _panel(
            "timeseries",
            "Matching latency: p95 of handling an event, by type",
            [
                _target(
                    'histogram_quantile(0.95, sum by (le, type) (rate(boyin_event_handler_seconds_bucket{group="matching"}[5m])))',
                    "{{type}}",
                )
            ],
            unit="s",
        ),
        _panel(
            "timeseries",
            "HTTP latency: p95 by service",
            [
                _target(
                    "histogram_quantile(0.95, sum by (le, service) (rate(boyin_http_request_seconds_bucket[5m])))",
                    "{{service}}",
                )
            ],
            unit="s",
        ),
        _panel(
            "timeseries",
            "Consumer lag by group and partition",
            [
                _target(
                    "max by (group, topic, partition) (boyin_consumer_lag_messages)",
                    "{{group}} {{topic}}/{{partition}}",
                )
            ],
            unit="short",
        ),
        _panel(
            "timeseries",
            "Outbox: events waiting, and the oldest one's age",
            [
                _target("sum by (service) (boyin_outbox_pending_events)", "{{service}} waiting"),
                _target(
                    "max by (service) (boyin_outbox_oldest_event_age_seconds)",
                    "{{service}} oldest (s)",
                ),
            ],
        ),
        _panel(
            "timeseries",
            "Dead letters per minute, by group and reason",
            [
                _target(
                    "sum by (group, reason) (rate(boyin_dead_letters_total[5m])) * 60",
                    "{{group}} {{reason}}",
                )
            ],
        ),
        _panel(
            "timeseries",
            "Errors: share of requests answered 5xx, by service",
            [
                _target(
                    'sum by (service) (rate(boyin_http_requests_total{status=~"5.."}[5m])) / sum by (service) (rate(boyin_http_requests_total[5m]))',
                    "{{service}}",
                )
            ],
            unit="percentunit",
        ),
        _panel(
            "timeseries",
            "Events published by the outbox relays per second, by topic",
            [_target("sum by (topic) (rate(boyin_events_published_total[5m]))", "{{topic}}")],
        ),
    ]


def _dashboard(uid: str, title: str, description: str, panels: list[Panel]) -> dict[str, Any]:
    """Lay ``panels`` out left to right, top to bottom, on Grafana's 24-column grid."""
    x = y = row_height = 0
    for number, panel in enumerate(panels, start=1):
        grid = panel["gridPos"]
        if x + grid["w"] > 24:
            x, y, row_height = 0, y + row_height, 0
        grid.update(x=x, y=y)
        x += grid["w"]
        row_height = max(row_height, grid["h"])
        panel["id"] = number
    return {
        "uid": uid,
        "title": title,
        "description": description,
        "tags": ["boyin"],
        "timezone": "Asia/Shanghai",
        "schemaVersion": 39,
        "version": 1,
        "editable": False,
        "refresh": "30s",
        "time": {"from": "now-24h", "to": "now"},
        "templating": {"list": []},
        "annotations": {"list": []},
        "links": [],
        "panels": panels,
    }


DASHBOARDS: dict[str, Callable[[], dict[str, Any]]] = {
    "boyin-fair.json": lambda: _dashboard(
        "boyin-fair",
        "Boyin 博引 — the fair",
        "The fair's funnel, live feeds, imports, the rematch job and the scheduler",
        _fair(),
    ),
    "boyin-pipeline.json": lambda: _dashboard(
        "boyin-pipeline",
        "Boyin 博引 — pipeline health",
        "Matching latency, consumer lag, outboxes, dead letters and errors",
        _pipeline(),
    ),
}


def render() -> dict[str, str]:
    """Each dashboard's file name and JSON text."""
    return {
        name: json.dumps(build(), ensure_ascii=False, indent=2) + "\n"
        for name, build in DASHBOARDS.items()
    }
