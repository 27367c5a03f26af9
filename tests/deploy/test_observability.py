"""Observability in ``deploy/``, checked offline: the trace pipeline (services -> OTLP ->
the OpenTelemetry Collector -> Jaeger) in compose and Kubernetes, the Prometheus alert
rules and the Grafana dashboards.

``promtool`` is not available here (it is a Go program, not in the package lists), so the
rules and the dashboards' queries get a structural check instead of Prometheus's own
parser: the rule file's shape (names, durations, labels, annotations), balanced brackets
and quotes, known PromQL functions and range durations, and, most usefully, that every
metric a rule or a panel reads is one the services really export, with the labels it
matches and groups by.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml  # type: ignore[import-untyped]
from prometheus_client import REGISTRY

import boyin_gateway.feeds
import boyin_matching.lists.service
import boyin_platform.app
import boyin_registry.imports.service
import boyin_scheduling.schedules.planner
import boyin_shared.contracts
from boyin_platform import dashboards
from boyin_platform.services import SERVICES
from boyin_shared import telemetry
from boyin_shared.events import CATALOG

ROOT = Path(__file__).resolve().parents[2]
OBSERVABILITY = ROOT / "deploy" / "observability"
ALERTS = OBSERVABILITY / "alerts.yaml"
DASHBOARDS = OBSERVABILITY / "grafana" / "dashboards"
APPS = [*(s.name for s in SERVICES), "gateway"]
# the modules that define the platform's metrics (imported so that they are registered)
_DEFINING = (
    boyin_platform.app,
    boyin_gateway.feeds,
    boyin_matching.lists.service,
    boyin_registry.imports.service,
    boyin_scheduling.schedules.planner,
    boyin_shared.contracts,
)
PROMQL_FUNCTIONS = {
    "sum",
    "max",
    "min",
    "avg",
    "count",
    "rate",
    "irate",
    "increase",
    "histogram_quantile",
    "by",
    "without",
    "on",
    "ignoring",
    "and",
    "or",
    "unless",
}
SELECTOR = re.compile(r"\b(boyin_[a-z0-9_]+)\b(\{[^}]*\})?")
MATCHER = re.compile(r'\s*([a-zA-Z_]\w*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*')


def _exported() -> dict[str, set[str]]:
    """Every sample name the platform's processes export, with its metric's label names."""
    found: dict[str, set[str]] = {}
    for name, collector in REGISTRY._names_to_collectors.items():
        labels = set(getattr(collector, "_labelnames", ()))
        if name.endswith("_bucket"):
            labels.add("le")
        found[name] = labels
    return found


def _balanced(expr: str) -> bool:
    stack: list[str] = []
    pairs = {")": "(", "]": "[", "}": "{"}
    quoted = False
    escaped = False
    for char in expr:
        if quoted:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                quoted = False
            continue
        if char == '"':
            quoted = True
        elif char in "([{":
            stack.append(char)
        elif char in pairs and (not stack or stack.pop() != pairs[char]):
            return False
    return not stack and not quoted


def check_promql(expr: str, exported: dict[str, set[str]]) -> set[str]:
    """The structural check of one query; returns the metrics it reads."""
    assert _balanced(expr), f"unbalanced brackets or quotes: {expr}"
    read: set[str] = set()
    labels: set[str] = set()
    for name, braces in SELECTOR.findall(expr):
        assert name in exported, f"{name} is not exported by any service ({expr})"
        read.add(name)
        labels |= exported[name]
        if braces:
            for matcher in braces[1:-1].split(","):
                found = MATCHER.fullmatch(matcher)
                assert found, f"bad label matcher {matcher!r} in {expr}"
                assert found.group(1) in exported[name], f"{name} has no label {found.group(1)}"
                if found.group(2) in ("=~", "!~"):
                    re.compile(found.group(3).encode().decode("unicode_escape"))
    assert read, f"reads no metric of the platform: {expr}"
    without_strings = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    for grouping in re.findall(r"\b(?:by|without)\s*\(([^)]*)\)", without_strings):
        for label in filter(None, (g.strip() for g in grouping.split(","))):
            assert label in labels, f"groups by {label}, which none of {read} has ({expr})"
    for duration in re.findall(r"\[([^\]]*)\]", without_strings):
        assert re.fullmatch(r"\d+[smhdw]|\$__range|\$__rate_interval", duration), duration
    words = set(re.findall(r"\b([a-z_]+)\s*\(", without_strings))
    assert words <= PROMQL_FUNCTIONS, f"unknown functions {words - PROMQL_FUNCTIONS}"
    return read


# --- alert rules -----------------------------------------------------------------


def _rules() -> Iterator[dict[str, Any]]:
    doc = yaml.safe_load(ALERTS.read_text("utf-8"))
    assert set(doc) == {"groups"}
    for group in doc["groups"]:
        assert set(group) <= {"name", "interval", "rules"} and group["rules"], group
        yield from group["rules"]


def test_alert_rules_are_well_formed_and_read_exported_metrics() -> None:
    exported = _exported()
    names = []
    read: set[str] = set()
    for rule in _rules():
        assert set(rule) <= {"alert", "expr", "for", "labels", "annotations"}, rule
        assert re.fullmatch(r"Boyin[A-Z][A-Za-z0-9]+", rule["alert"]), rule["alert"]
        names.append(rule["alert"])
        if "for" in rule:
            assert re.fullmatch(r"\d+[smh]", rule["for"]), rule["for"]
        assert rule["labels"]["severity"] in {"warning", "critical"}
        assert rule["annotations"]["summary"] and rule["annotations"]["description"]
        for text in rule["annotations"].values():  # Go templates: {{ ... }} balanced
            assert text.count("{{") == text.count("}}"), text
        read |= check_promql(rule["expr"], exported)
    assert len(names) == len(set(names))
    # what the issue asks alerts on: lag, dead letters, outbox age, the 5xx rate
    assert {
        "boyin_consumer_lag_messages",
        "boyin_dead_letters_total",
        "boyin_outbox_oldest_event_age_seconds",
        "boyin_http_requests_total",
    } <= read


def test_the_structural_check_catches_what_it_should() -> None:
    exported = _exported()
    for broken in (
        "sum(rate(boyin_no_such_metric_total[5m]))",  # not exported
        'sum(rate(boyin_dead_letters_total{colour="red"}[5m]))',  # no such label
        "sum by (colour) (rate(boyin_dead_letters_total[5m]))",  # nor to group by
        "sum(rate(boyin_dead_letters_total[5m])",  # unbalanced
        "sum(rate(boyin_dead_letters_total[5 minutes]))",  # bad range
        "sumx(rate(boyin_dead_letters_total[5m]))",  # unknown function
    ):
        with pytest.raises(AssertionError):
            check_promql(broken, exported)


# --- dashboards ------------------------------------------------------------------


def _dashboards() -> dict[str, dict[str, Any]]:
    files = sorted(DASHBOARDS.glob("*.json"))
    assert {f.name for f in files} == set(dashboards.DASHBOARDS)
    return {f.name: json.loads(f.read_text("utf-8")) for f in files}


def test_dashboards_read_exported_metrics_from_the_provisioned_source() -> None:
    exported = _exported()
    provisioned = yaml.safe_load(
        (OBSERVABILITY / "grafana/provisioning/datasources.yaml").read_text("utf-8")
    )
    uids = {d["uid"]: d["type"] for d in provisioned["datasources"]}
    read: set[str] = set()
    seen_uids = set()
    for name, board in _dashboards().items():
        assert board["uid"] not in seen_uids
        seen_uids.add(board["uid"])
        panels = board["panels"]
        assert len({p["id"] for p in panels}) == len(panels), name
        cells: set[tuple[int, int]] = set()
        for panel in panels:
            source = panel["datasource"]
            assert uids.get(source["uid"]) == source["type"], (name, panel["title"])
            grid = panel["gridPos"]
            assert grid["x"] >= 0 and grid["x"] + grid["w"] <= 24, panel["title"]
            mine = {
                (x, y)
                for x in range(grid["x"], grid["x"] + grid["w"])
                for y in range(grid["y"], grid["y"] + grid["h"])
            }
            assert not mine & cells, f"{panel['title']} overlaps another panel"
            cells |= mine
            refs = [t["refId"] for t in panel["targets"]]
            assert refs and len(set(refs)) == len(refs)
            for target in panel["targets"]:
                read |= check_promql(target["expr"], exported)
    # what the issue asks to see: the funnel, matching latency, lag, errors
    assert {
        "boyin_events_published_total",
        "boyin_event_handler_seconds_bucket",
        "boyin_consumer_lag_messages",
        "boyin_http_requests_total",
        "boyin_outbox_pending_events",
        "boyin_rematch_progress_ratio",
        "boyin_schedule_solver_gap_ratio",
        "boyin_import_rows_total",
        "boyin_feed_subscribers",
    } <= read


def test_the_funnel_counts_events_that_exist() -> None:
    types = {kind for kind, _ in CATALOG}
    for _, kind in dashboards.FUNNEL:
        assert kind in types, kind


# --- the trace pipeline ----------------------------------------------------------


def _compose() -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load((ROOT / "deploy/compose/compose.yaml").read_text())
    return doc


def _k8s(kind: str, name: str) -> dict[str, Any]:
    for path in (ROOT / "deploy/k8s").glob("*.yaml"):
        for doc in yaml.safe_load_all(path.read_text("utf-8")):
            if doc and doc["kind"] == kind and doc["metadata"]["name"] == name:
                found: dict[str, Any] = doc
                return found
    raise AssertionError(f"no {kind} {name} in deploy/k8s")


def _otel(env: dict[str, str]) -> dict[str, str]:
    return {k: str(v) for k, v in env.items() if k.startswith("OTEL_")}


def test_tracing_is_on_in_the_deploy_files_and_off_by_default() -> None:
    compose_env = _otel(_compose()["x-boyin-env"])
    k8s_env = _otel(_k8s("ConfigMap", "boyin-config")["data"])
    for env in (compose_env, k8s_env):
        assert telemetry.wanted(env)
        assert env["OTEL_TRACES_EXPORTER"] == "otlp"
        assert env["OTEL_TRACES_SAMPLER"] == "parentbased_traceidratio"
        assert float(env["OTEL_TRACES_SAMPLER_ARG"]) == 0.1
        assert env["OTEL_EXPORTER_OTLP_PROTOCOL"] == "http/protobuf"
    assert set(compose_env) == set(k8s_env)
    assert not telemetry.wanted({})  # the single-process platform: off unless asked
    assert not telemetry.wanted({"OTEL_TRACES_EXPORTER": "otlp", "OTEL_SDK_DISABLED": "true"})

    # compose: the apps reach the collector by its service name
    endpoint = urlsplit(compose_env["OTEL_EXPORTER_OTLP_ENDPOINT"])
    services = _compose()["services"]
    assert endpoint.hostname in services and endpoint.port == 4318
    # Kubernetes: the collector's Service, its OTLP/HTTP port
    endpoint = urlsplit(k8s_env["OTEL_EXPORTER_OTLP_ENDPOINT"])
    assert endpoint.hostname == "otel-collector.boyin.svc.cluster.local"
    ports = {p["port"] for p in _k8s("Service", "otel-collector")["spec"]["ports"]}
    assert endpoint.port in ports


def test_the_collector_sends_what_it_receives_to_jaeger() -> None:
    config = yaml.safe_load((OBSERVABILITY / "otel-collector.yaml").read_text("utf-8"))
    pipeline = config["service"]["pipelines"]["traces"]
    for part in ("receivers", "processors", "exporters"):
        assert set(pipeline[part]) <= set(config[part]), part
    assert set(config["service"]["extensions"]) <= set(config["extensions"])
    assert config["receivers"]["otlp"]["protocols"]["http"]["endpoint"].endswith(":4318")
    (exporter,) = (config["exporters"][name] for name in pipeline["exporters"])
    host, port = exporter["endpoint"].rsplit(":", 1)
    # Jaeger by the same name in both: a compose service, and a Service in the namespace
    assert host == "jaeger" and host in _compose()["services"]
    jaeger_ports = {p["port"] for p in _k8s("Service", "jaeger")["spec"]["ports"]}
    assert int(port) in jaeger_ports
    # the ConfigMap carries exactly this file
    embedded = _k8s("ConfigMap", "otel-collector")["data"]["config.yaml"]
    assert yaml.safe_load(embedded) == config
    collector = _k8s("Deployment", "otel-collector")["spec"]["template"]["spec"]
    (container,) = collector["containers"]
    mount = next(m for m in container["volumeMounts"] if m["name"] == "config")
    assert container["args"] == [f"--config={mount['mountPath']}/config.yaml"]
    health = config["extensions"]["health_check"]["endpoint"].rsplit(":", 1)[1]
    named = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert named[container["readinessProbe"]["httpGet"]["port"]] == int(health)


def test_compose_prometheus_and_grafana_read_the_files_in_deploy() -> None:
    services = _compose()["services"]
    compose_dir = ROOT / "deploy/compose"
    for name in ("otel-collector", "prometheus", "grafana"):
        for volume in services[name]["volumes"]:
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (compose_dir / source).resolve().exists(), (name, source)
    prometheus = yaml.safe_load((OBSERVABILITY / "prometheus.yaml").read_text("utf-8"))
    mounted = {
        v.split(":")[1]: (compose_dir / v.split(":")[0]).resolve()
        for v in services["prometheus"]["volumes"]
        if v.startswith(".")
    }
    for rule_file in prometheus["rule_files"]:
        assert mounted[rule_file] == ALERTS.resolve()
    (job,) = prometheus["scrape_configs"]
    (sd,) = job["dns_sd_configs"]
    assert sorted(sd["names"]) == sorted(APPS) and sd["port"] == 8000
    assert set(APPS) <= set(services)
