"""``python -m boyin_platform.manifests``: the deploy files, written from the list of services.

The templates in ``deploy/templates`` hold what every service shares; the list in
:mod:`boyin_platform.services` holds what differs. This writes (``--write``) or checks
(the default; exit 1 on a difference) these files, run from the repository root:

- ``deploy/compose/compose.yaml``: one compose service per service, the gateway's
  ``depends_on`` and ``BOYIN_SERVICE_URLS``;
- ``deploy/k8s/<service>.yaml``: Deployment and Service (plus HorizontalPodAutoscaler and
  PodDisruptionBudget when autoscaled);
- ``deploy/k8s/kustomization.yaml`` and ``deploy/k8s/config.yaml`` (its service URLs);
- observability: ``deploy/k8s/observability.yaml`` (the OpenTelemetry Collector, its
  configuration ``deploy/observability/otel-collector.yaml`` embedded, and Jaeger),
  ``deploy/observability/prometheus.yaml`` (compose's Prometheus, scraping every app with
  the metrics token), ``deploy/observability/prometheus-kubernetes.yaml`` (the scrape job
  for a cluster's own Prometheus, with the metrics token) and the Grafana dashboards (:mod:`boyin_platform.dashboards`).

The rest of ``deploy/`` (the gateway's manifest, Kafka, MongoDB, the Dockerfile) is
written by hand and names no service. ``tests/deploy`` fails when a committed file
differs from what this renders.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from string import Template

from boyin_platform import dashboards
from boyin_platform.services import SERVICES, Autoscaled, Replicas, Resources, Service, Singleton

#: every service listens here, in its container and behind its Kubernetes Service
APP_PORT = 8000
TEMPLATES = Path("deploy/templates")
COMPOSE = Path("deploy/compose/compose.yaml")
K8S = Path("deploy/k8s")
OBSERVABILITY = Path("deploy/observability")
DASHBOARDS = OBSERVABILITY / "grafana" / "dashboards"
#: the images of the trace pipeline and the metrics stack, the same in compose and Kubernetes
IMAGES = {
    "collector_image": "otel/opentelemetry-collector-contrib:0.139.0",
    "jaeger_image": "jaegertracing/jaeger:2.12.0",
    "prometheus_image": "prom/prometheus:v3.7.3",
    "grafana_image": "grafana/grafana:12.2.1",
}
#: how every generated file starts (and so how a stale one is recognised)
MARK = f"# Generated from {TEMPLATES.as_posix()}/"


def _generated(template: Path) -> str:
    return (
        f"# Generated from {template.as_posix()} and the list of services\n"
        "# (boyin_platform.services) by `uv run python -m boyin_platform.manifests --write`:\n"
        "# edit those, not this file.\n#"
    )


def _comment(text: str, indent: str = "") -> str:
    return textwrap.fill(
        text, width=88, initial_indent=f"{indent}# ", subsequent_indent=f"{indent}# "
    )


def _scalar(value: str) -> str:
    """A YAML string that stays a string (``"1"``, not the number 1)."""
    return f'"{value}"' if re.fullmatch(r"[0-9.]+", value) else value


def _fill(root: Path, template: Path, **values: str) -> str:
    text = Template((root / TEMPLATES / template).read_text("utf-8")).substitute(
        generated=_generated(TEMPLATES / template), **values
    )
    return text.rstrip() + "\n"


def service_urls(services: Sequence[Service]) -> str:
    """``BOYIN_SERVICE_URLS``: each service by its host name inside compose and Kubernetes."""
    urls = {s.name: f"http://{s.name}:{APP_PORT}" for s in services}
    return json.dumps(urls, separators=(",", ":"))


# --- Kubernetes ---------------------------------------------------------------


def _header(service: Service) -> str:
    run = f"(python -m {service.module})."
    match service.scale:
        case Autoscaled():
            kinds = "Deployment, Service, HorizontalPodAutoscaler and PodDisruptionBudget"
            return f"# {service.name}: {kinds}\n# {run}"
        case Singleton(why=why):
            lines = f"# {service.name}: Deployment and Service {run}"
            return lines + "\n" + _comment(f"One replica, replaced (not rolled): {why}.")
        case Replicas():
            return f"# {service.name}: Deployment and Service {run}"


def _replicas(service: Service) -> str:
    match service.scale:
        case Autoscaled():
            return (
                "  # No replicas field: the HorizontalPodAutoscaler below owns the count, and\n"
                "  # `kubectl apply` would otherwise reset it on every roll-out."
            )
        case Singleton():
            return "  replicas: 1"
        case Replicas(count=count):
            return f"  replicas: {count}"


def _strategy(service: Service) -> str:
    if isinstance(service.scale, Singleton):
        return "    type: Recreate"
    return "    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: 0"


def _resources(r: Resources) -> str:
    note = [_comment(r.note, " " * 12)] if r.note else []
    return "\n".join(
        [
            *note,
            "            requests:",
            f"              cpu: {_scalar(r.cpu)}",
            f"              memory: {_scalar(r.memory)}",
            "            limits:",
            f"              cpu: {_scalar(r.cpu_limit)}",
            f"              memory: {_scalar(r.memory_limit)}",
        ]
    )


def _k8s_service(root: Path, service: Service) -> str:
    extra = ""
    if isinstance(service.scale, Autoscaled):
        extra = Template(
            (root / TEMPLATES / "k8s/autoscaled.yaml.tmpl").read_text("utf-8")
        ).substitute(
            name=service.name,
            least=str(service.scale.least),
            most=str(service.scale.most),
            cpu_percent=str(service.scale.cpu_percent),
        )
    return _fill(
        root,
        Path("k8s/service.yaml.tmpl"),
        name=service.name,
        header=_header(service),
        replicas=_replicas(service),
        strategy=_strategy(service),
        resources=_resources(service.resources),
        extra=extra.rstrip(),
    )


# --- compose ------------------------------------------------------------------


def _compose_service(service: Service) -> str:
    lines = [
        f"  {service.name}:",
        "    <<: *boyin-app",
        f'    command: ["python", "-m", "{service.module}"]',
    ]
    if isinstance(service.scale, Autoscaled):
        lines += [
            "    # Several consumers in one group: Kafka splits the partitions between them. More",
            "    # replicas than BOYIN_KAFKA_PARTITIONS would sit idle.",
            "    deploy:",
            f"      replicas: {service.scale.least}",
        ]
    return "\n".join(lines)


def _gateway_depends_on(services: Sequence[Service]) -> str:
    return "\n".join(f"      {s.name}:\n        condition: service_healthy" for s in services)


# --- the files ----------------------------------------------------------------


def render(root: Path, services: Sequence[Service] = SERVICES) -> dict[Path, str]:
    """Every generated file (path relative to ``root``) and its text."""
    urls = service_urls(services)
    out = {
        COMPOSE: _fill(
            root,
            Path("compose.yaml.tmpl"),
            services="\n\n".join(_compose_service(s) for s in services),
            gateway_depends_on=_gateway_depends_on(services),
            service_urls=urls,
            **IMAGES,
        ),
        K8S / "config.yaml": _fill(root, Path("k8s/config.yaml.tmpl"), service_urls=urls),
        K8S / "kustomization.yaml": _fill(
            root,
            Path("k8s/kustomization.yaml.tmpl"),
            services="\n".join(f"  - {s.name}.yaml" for s in services),
        ),
        OBSERVABILITY / "prometheus-kubernetes.yaml": _fill(
            root, Path("observability/prometheus-kubernetes.yaml.tmpl")
        ),
    }
    for service in services:
        out[K8S / f"{service.name}.yaml"] = _k8s_service(root, service)
    collector = (root / OBSERVABILITY / "otel-collector.yaml").read_text("utf-8")
    out[K8S / "observability.yaml"] = _fill(
        root,
        Path("k8s/observability.yaml.tmpl"),
        collector_config=textwrap.indent(collector.rstrip(), "    "),
        **IMAGES,
    )
    scraped = [*(s.name for s in services), "gateway"]
    out[OBSERVABILITY / "prometheus.yaml"] = _fill(
        root,
        Path("observability/prometheus.yaml.tmpl"),
        names="\n".join(f"          - {name}" for name in scraped),
        port=str(APP_PORT),
    )
    for name, text in dashboards.render().items():
        out[DASHBOARDS / name] = text
    return out


def stale(root: Path, rendered: dict[Path, str]) -> list[Path]:
    """Generated files that nothing renders any more (a service taken off the list)."""
    return sorted(
        p.relative_to(root)
        for p in (root / K8S).glob("*.yaml")
        if p.relative_to(root) not in rendered and p.read_text("utf-8").startswith(MARK)
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m boyin_platform.manifests", description=__doc__)
    parser.add_argument("--write", action="store_true", help="write the files (default: check)")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the repository root")
    args = parser.parse_args(argv)
    root: Path = args.root
    if not (root / TEMPLATES).is_dir():
        parser.error(f"no {TEMPLATES} under {root}: run from the repository root or pass --root")
    rendered = render(root)
    differ = [p for p, text in rendered.items() if _read(root / p) != text]
    old = stale(root, rendered)
    if args.write:
        for path in differ:
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(rendered[path], "utf-8")
            print("wrote", path)
        for path in old:
            (root / path).unlink()
            print("removed", path)
        return 0
    for path in differ:
        print(f"{path}: differs from what the list of services renders", file=sys.stderr)
    for path in old:
        print(f"{path}: generated for a service no longer listed", file=sys.stderr)
    if differ or old:
        print("run: uv run python -m boyin_platform.manifests --write", file=sys.stderr)
        return 1
    return 0


def _read(path: Path) -> str | None:
    return path.read_text("utf-8") if path.exists() else None


if __name__ == "__main__":
    raise SystemExit(main())
