"""The production topology in ``deploy/``, checked offline with real validators.

- Kubernetes: every resource against the OpenAPI schemas that ``kubernetes-validate``
  ships, in strict mode (unknown fields are errors), for Kubernetes 1.30, 1.33 and the
  newest version it ships; the kustomization rendered by ``kubectl kustomize``
  (the kustomize built into kubectl, which the machine image has).
- Compose: ``check-jsonschema`` with the Compose Specification schema it vendors
  (``vendor.compose-spec``). ``docker compose config`` needs the compose plugin, which
  neither this machine nor Debian provides.
- Dockerfile: parsed by the BuildKit parser (the ``dockerfile`` package).

The schemas accept many things that cannot work (a string where compose wants a
number, a probe on a port nobody listens on), so the rest of this module checks that
the pieces refer to each other correctly: probes, ports, ConfigMap and Secret keys,
host names, the HPA target, the images, and that the settings parse as the services
parse them.
"""

from __future__ import annotations

import copy
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import parse_qs, urlsplit

import dockerfile  # type: ignore[import-not-found]
import kubernetes_validate
import pytest
import yaml  # type: ignore[import-untyped]

from boyin_platform.services import SERVICES as PLATFORM_SERVICES
from boyin_shared.settings import PlatformSettings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
COMPOSE_DIR = DEPLOY / "compose"
COMPOSE = COMPOSE_DIR / "compose.yaml"
DOCKERFILE = DEPLOY / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"

#: Oldest supported cluster version, a current one, and the newest the validator knows.
K8S_VERSIONS = ("1.30.0", "1.33.0", kubernetes_validate.latest_version())
NAMESPACE = "boyin"
#: The services that exist (the platform's own list), each deployed with the gateway.
SERVICES = tuple(d.name for d in PLATFORM_SERVICES)
APPS = (*SERVICES, "gateway")
#: the trace pipeline beside the apps (deploy/k8s/observability.yaml; tests/deploy/
#: test_observability.py checks how it fits together)
TRACING = ("otel-collector", "jaeger")
#: compose also runs the metrics stack (in a cluster, the cluster's own Prometheus and Grafana)
COMPOSE_OBSERVABILITY = {*TRACING, "prometheus", "grafana"}
SECRET_KEYS = {"BOYIN_INTERNAL_TOKEN_SECRET", "BOYIN_JWT_SECRET", "BOYIN_METRICS_TOKEN"}
APP_PORT = 8000
#: Documents the Secret's shape only; the real one is created outside kustomize.
SECRET_EXAMPLE = "secret.example.yaml"
NAMESPACED_KINDS_EXEMPT = {"Namespace"}

Doc = dict[str, Any]


# --- loading ------------------------------------------------------------------


def _load_all(path: Path) -> list[Doc]:
    return [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]


def _kustomization() -> Doc:
    doc = yaml.safe_load((K8S / "kustomization.yaml").read_text(encoding="utf-8"))
    assert isinstance(doc, dict)
    return doc


def _manifest_files() -> list[Path]:
    return sorted(p for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml")


def _applied() -> list[Doc]:
    """Every resource that ``kubectl apply -k deploy/k8s`` creates, as written."""
    return [d for name in _kustomization()["resources"] for d in _load_all(K8S / name)]


def _index(docs: list[Doc]) -> dict[tuple[str, str], Doc]:
    out: dict[tuple[str, str], Doc] = {}
    for d in docs:
        key = (d["kind"], d["metadata"]["name"])
        assert key not in out, f"duplicate {key}"
        out[key] = d
    return out


def _res(kind: str, name: str) -> Doc:
    found = _index(_applied()).get((kind, name))
    assert found is not None, f"no {kind}/{name} in deploy/k8s"
    return found


def _of_kind(kind: str) -> dict[str, Doc]:
    return {d["metadata"]["name"]: d for d in _applied() if d["kind"] == kind}


def _secret_example() -> Doc:
    (doc,) = _load_all(K8S / SECRET_EXAMPLE)
    return doc


def _config() -> dict[str, str]:
    data = _res("ConfigMap", "boyin-config")["data"]
    assert all(isinstance(v, str) for v in data.values())
    return dict(data)


def _pod_spec(workload: Doc) -> Doc:
    spec: Doc = workload["spec"]["template"]["spec"]
    return spec


def _workloads() -> Iterator[Doc]:
    for d in _applied():
        if d["kind"] in {"Deployment", "StatefulSet", "Job"}:
            yield d


def _env(container: Doc) -> dict[str, Doc]:
    return {e["name"]: e for e in container.get("env", [])}


def _compose() -> Doc:
    doc = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(doc, dict)
    return doc


def _compose_env(service: Doc) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: str(v) for k, v in env.items()}


def _dotenv(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            out[key.strip()] = value.strip()
    return out


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(args), cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def _workspace_version() -> str:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"
    ]
    assert isinstance(version, str)
    return version


APP_IMAGE = f"boyin:{_workspace_version()}"


def _settings(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> PlatformSettings:
    """Parse ``env`` exactly as a service does at start-up (pydantic-settings)."""
    for key in list(os.environ):
        if key.startswith("BOYIN_"):
            monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return PlatformSettings()


# --- Kubernetes: schema validation --------------------------------------------


def _k8s_cases() -> Iterator[Any]:
    for path in _manifest_files():
        for i, doc in enumerate(_load_all(path)):
            for version in K8S_VERSIONS:
                ident = f"{version}-{path.name}#{i}-{doc['kind']}/{doc['metadata']['name']}"
                yield pytest.param(doc, version, id=ident)


@pytest.mark.parametrize(("doc", "version"), list(_k8s_cases()))
def test_k8s_resource_matches_the_schema_strictly(doc: Doc, version: str) -> None:
    try:
        kubernetes_validate.validate(doc, version, strict=True)
    except kubernetes_validate.SchemaNotFoundError as e:
        pytest.fail(e.message)
    except kubernetes_validate.ValidationError as e:
        path = ".".join(str(p) for p in e.path)
        pytest.fail(f"{doc['kind']}/{doc['metadata']['name']}: {path}: {e.message}")


def test_kubernetes_validate_cli_passes_every_manifest() -> None:
    files = [str(p) for p in _manifest_files()]
    result = _run(sys.executable, "-m", "kubernetes_validate", "-k", "1.33.0", "--strict", *files)
    assert result.returncode == 0, result.stdout + result.stderr
    # A resource without a schema is only a warning there; here it is a failure.
    assert "WARN" not in result.stdout and "ERROR" not in result.stdout, result.stdout
    passed = result.stdout.count(" passed for resource ")
    assert passed == sum(len(_load_all(Path(f))) for f in files)


def test_strict_validation_rejects_a_misspelt_field() -> None:
    """The validator is live: a typo in a probe name fails, as it would on apply."""
    bad = copy.deepcopy(_res("Deployment", "gateway"))
    container = _pod_spec(bad)["containers"][0]
    container["readinessprobe"] = container.pop("readinessProbe")
    with pytest.raises(kubernetes_validate.ValidationError, match="readinessprobe"):
        kubernetes_validate.validate(bad, "1.33.0", strict=True)
    bad = copy.deepcopy(_res("HorizontalPodAutoscaler", "matching"))
    bad["spec"]["maxReplicas"] = "6"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, "1.33.0", strict=True)


# --- Kubernetes: kustomize -----------------------------------------------------


def test_kustomization_lists_every_manifest() -> None:
    kz = _kustomization()
    assert kz["apiVersion"] == "kustomize.config.k8s.io/v1beta1"
    assert kz["kind"] == "Kustomization"
    assert kz["namespace"] == NAMESPACE
    listed = kz["resources"]
    assert len(listed) == len(set(listed))
    on_disk = {p.name for p in _manifest_files()} - {SECRET_EXAMPLE}
    assert set(listed) == on_disk
    assert SECRET_EXAMPLE not in listed, "placeholder secrets must never be applied"
    _index(_applied())  # no resource defined twice
    for d in _applied():
        if d["kind"] not in NAMESPACED_KINDS_EXEMPT:
            assert d["metadata"].get("namespace") == NAMESPACE, d["metadata"]["name"]


def test_kubectl_kustomize_renders_valid_resources() -> None:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.fail("kubectl (with its built-in kustomize) is not installed")
    result = _run(kubectl, "kustomize", str(K8S))
    assert result.returncode == 0, result.stderr
    rendered = [d for d in yaml.safe_load_all(result.stdout) if d]
    assert {(d["kind"], d["metadata"]["name"]) for d in rendered} == set(_index(_applied()))
    for d in rendered:
        kubernetes_validate.validate(d, "1.33.0", strict=True)
        if d["kind"] not in NAMESPACED_KINDS_EXEMPT:
            assert d["metadata"]["namespace"] == NAMESPACE
    images = {
        c["image"]
        for d in rendered
        if d["kind"] == "Deployment" and d["metadata"]["name"] in APPS
        for c in d["spec"]["template"]["spec"]["containers"]
    }
    assert images == {APP_IMAGE}


# --- Kubernetes: the pieces fit together ---------------------------------------


def test_one_deployment_and_service_per_app() -> None:
    assert set(_of_kind("Deployment")) == set(APPS) | set(TRACING)
    services = _of_kind("Service")
    for name in APPS:
        deployment = _res("Deployment", name)
        pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
        selector = deployment["spec"]["selector"]["matchLabels"]
        assert selector.items() <= pod_labels.items()
        svc = services[name]
        assert svc["spec"]["selector"].items() <= pod_labels.items()
        (container,) = _pod_spec(deployment)["containers"]
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        (port,) = svc["spec"]["ports"]
        assert port["port"] == APP_PORT
        assert ports[port["targetPort"]] == APP_PORT


@pytest.mark.parametrize("name", APPS)
def test_app_deployment(name: str) -> None:
    deployment = _res("Deployment", name)
    pod = _pod_spec(deployment)
    (container,) = pod["containers"]
    assert container["image"] == APP_IMAGE
    assert container["command"] == ["python", "-m", f"boyin_{name}"]
    package = ROOT / ("gateway" if name == "gateway" else f"services/{name}") / "src"
    assert (package / f"boyin_{name}").is_dir()

    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    for probe, path in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")):
        get = container[probe]["httpGet"]
        assert get["path"] == path, probe
        assert ports.get(get["port"], get["port"]) == APP_PORT, probe

    config = _config()
    assert config["BOYIN_PORT"] == str(APP_PORT)
    assert config["BOYIN_HOST"] == "0.0.0.0"
    assert [s["configMapRef"]["name"] for s in container["envFrom"]] == ["boyin-config"]
    secret = _secret_example()
    for var in container["env"]:
        ref = var.get("valueFrom", {})
        if "secretKeyRef" in ref:
            assert ref["secretKeyRef"]["name"] == secret["metadata"]["name"]
            assert ref["secretKeyRef"]["key"] in secret["stringData"], var["name"]
        if "configMapKeyRef" in ref:
            assert ref["configMapKeyRef"]["name"] == "boyin-config"
            assert ref["configMapKeyRef"]["key"] in config, var["name"]
    assert {v["name"] for v in container["env"]} >= SECRET_KEYS
    assert not SECRET_KEYS & set(config), "secrets belong in the Secret"

    # The root file system is read-only; /tmp is the one writable mount.
    ctx = container["securityContext"]
    assert ctx["readOnlyRootFilesystem"] is True
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert "emptyDir" in volumes[mounts["/tmp"]]
    assert config["BOYIN_DATA_DIR"].startswith("/tmp/")


def test_every_pod_is_restricted_and_bounded() -> None:
    """Pod Security "restricted" basics, and requests and limits on every container."""
    assert (
        _res("Namespace", NAMESPACE)["metadata"]["labels"]["pod-security.kubernetes.io/enforce"]
        == "restricted"
    )
    for workload in _workloads():
        name = f"{workload['kind']}/{workload['metadata']['name']}"
        pod = _pod_spec(workload)
        ctx = pod["securityContext"]
        assert ctx["runAsNonRoot"] is True, name
        assert ctx.get("runAsUser", 1) != 0, name
        assert ctx["seccompProfile"]["type"] == "RuntimeDefault", name
        assert pod["automountServiceAccountToken"] is False, name
        for c in pod["containers"]:
            cctx = c["securityContext"]
            assert cctx["allowPrivilegeEscalation"] is False, name
            assert cctx["capabilities"]["drop"] == ["ALL"], name
            for bound in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(c["resources"][bound]), (name, bound)
            if workload["kind"] != "Job":
                assert "readinessProbe" in c and "livenessProbe" in c, name


def test_config_parses_as_the_services_parse_it(monkeypatch: pytest.MonkeyPatch) -> None:
    config = _config()
    unknown = {
        k
        for k in config
        if not k.startswith("OTEL_")  # OpenTelemetry's own (boyin_shared.telemetry)
        and k.removeprefix("BOYIN_").lower() not in PlatformSettings.model_fields
    }
    assert not unknown, f"not PlatformSettings fields (typo?): {unknown}"
    s = _settings(config | dict.fromkeys(SECRET_KEYS, "x"), monkeypatch)
    assert (s.bus, s.store, s.kafka_partitions, s.port) == ("kafka", "mongo", 6, APP_PORT)
    assert s.mongo_db_prefix == "boyin"
    assert s.log_level == "INFO"
    assert set(s.service_urls) == set(SERVICES)
    services = _of_kind("Service")
    for name, url in s.service_urls.items():
        parts = urlsplit(url)
        assert parts.hostname == name, url
        assert parts.hostname in services
        assert parts.port == services[name]["spec"]["ports"][0]["port"] == APP_PORT


def test_kafka_statefulset_is_a_kraft_quorum() -> None:
    sts = _res("StatefulSet", "kafka")
    replicas = sts["spec"]["replicas"]
    assert replicas == 3
    assert sts["spec"]["podManagementPolicy"] == "Parallel"
    headless = _res("Service", sts["spec"]["serviceName"])
    assert headless["spec"]["clusterIP"] == "None"
    assert headless["spec"]["publishNotReadyAddresses"] is True
    pod_labels = sts["spec"]["template"]["metadata"]["labels"]
    assert headless["spec"]["selector"].items() <= pod_labels.items()

    (container,) = _pod_spec(sts)["containers"]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    env = _env(container)
    values = {k: v.get("value") for k, v in env.items()}
    node_id = env["KAFKA_NODE_ID"]["valueFrom"]["fieldRef"]["fieldPath"]
    assert node_id == "metadata.labels['apps.kubernetes.io/pod-index']"
    assert values["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert values["CLUSTER_ID"]
    domain = f"{headless['metadata']['name']}.{NAMESPACE}.svc.cluster.local"
    voters = [
        f"{i}@{sts['metadata']['name']}-{i}.{domain}:{ports['controller']}" for i in range(replicas)
    ]
    assert values["KAFKA_CONTROLLER_QUORUM_VOTERS"] == ",".join(voters)
    # $(POD_NAME) is only expanded when POD_NAME is defined earlier in the list.
    names = list(env)
    assert names.index("POD_NAME") < names.index("KAFKA_ADVERTISED_LISTENERS")
    assert env["POD_NAME"]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.name"
    assert (
        values["KAFKA_ADVERTISED_LISTENERS"]
        == f"PLAINTEXT://$(POD_NAME).{domain}:{ports['client']}"
    )
    assert values["KAFKA_LISTENERS"] == (
        f"PLAINTEXT://:{ports['client']},CONTROLLER://:{ports['controller']}"
    )
    assert values["KAFKA_CONTROLLER_LISTENER_NAMES"] == "CONTROLLER"
    for key, value in values.items():
        if key.endswith(("REPLICATION_FACTOR", "MIN_ISR", "MIN_INSYNC_REPLICAS")):
            assert value is not None and 1 <= int(value) <= replicas, key
    assert values["KAFKA_NUM_PARTITIONS"] == _config()["BOYIN_KAFKA_PARTITIONS"]

    claims = {t["metadata"]["name"] for t in sts["spec"]["volumeClaimTemplates"]}
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    assert claims <= set(mounts)
    assert str(values["KAFKA_LOG_DIRS"]).startswith(mounts["data"] + "/")

    client = _res("Service", "kafka")
    assert client["spec"]["selector"].items() <= pod_labels.items()
    assert _config()["BOYIN_KAFKA_BOOTSTRAP"] == (
        f"kafka.{NAMESPACE}.svc.cluster.local:{client['spec']['ports'][0]['port']}"
    )
    assert client["spec"]["ports"][0]["port"] == ports["client"]


def test_mongo_is_a_three_member_replica_set() -> None:
    sts = _res("StatefulSet", "mongo")
    replicas = sts["spec"]["replicas"]
    assert replicas == 3
    headless = _res("Service", sts["spec"]["serviceName"])
    assert headless["spec"]["clusterIP"] == "None"
    (container,) = _pod_spec(sts)["containers"]
    command = container["command"]
    rs = command[command.index("--replSet") + 1]
    port = {p["name"]: p["containerPort"] for p in container["ports"]}["mongo"]
    domain = f"{headless['metadata']['name']}.{NAMESPACE}.svc.cluster.local"
    members = [f"{sts['metadata']['name']}-{i}.{domain}:{port}" for i in range(replicas)]
    claims = {t["metadata"]["name"] for t in sts["spec"]["volumeClaimTemplates"]}
    assert {m["name"]: m["mountPath"] for m in container["volumeMounts"]}["data"] == "/data/db"
    assert "data" in claims

    url = urlsplit(_config()["BOYIN_MONGO_URL"])
    assert url.scheme == "mongodb"
    assert url.netloc.split(",") == members
    assert parse_qs(url.query) == {"replicaSet": [rs]}

    job = _res("Job", "mongo-init-replica-set")
    (init,) = _pod_spec(job)["containers"]
    script = "\n".join(init["command"])
    assert "rs.initiate(" in script and "NotYetInitialized" in script  # idempotent
    assert f'_id: "{rs}"' in script
    for i, member in enumerate(members):
        assert f'{{ _id: {i}, host: "{member}" }}' in script


def test_matching_autoscaler_and_disruption_budgets() -> None:
    hpa = _res("HorizontalPodAutoscaler", "matching")
    assert hpa["apiVersion"] == "autoscaling/v2"
    target = hpa["spec"]["scaleTargetRef"]
    assert (target["apiVersion"], target["kind"], target["name"]) == (
        "apps/v1",
        "Deployment",
        "matching",
    )
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (2, 6)
    (metric,) = hpa["spec"]["metrics"]
    assert metric["resource"]["name"] == "cpu"
    assert metric["resource"]["target"] == {"type": "Utilization", "averageUtilization": 70}
    # A consumer group never has more busy members than the topic has partitions.
    assert hpa["spec"]["maxReplicas"] <= int(_config()["BOYIN_KAFKA_PARTITIONS"])
    assert "partition" in (K8S / "matching.yaml").read_text(encoding="utf-8")
    assert "replicas" not in _res("Deployment", "matching")["spec"], "the HPA owns replicas"

    pdbs = _of_kind("PodDisruptionBudget")
    owners = {**_of_kind("Deployment"), **_of_kind("StatefulSet")}
    assert {"matching", "gateway", "kafka", "mongo"} <= set(pdbs)
    for name, pdb in pdbs.items():
        labels = owners[name]["spec"]["template"]["metadata"]["labels"]
        assert pdb["spec"]["selector"]["matchLabels"].items() <= labels.items(), name
    for name in ("matching", "gateway"):
        assert pdbs[name]["spec"]["minAvailable"] < hpa["spec"]["minReplicas"]
    assert (
        pdbs["gateway"]["spec"]["minAvailable"] < _res("Deployment", "gateway")["spec"]["replicas"]
    )


def test_ingress_exposes_the_gateway_graphql() -> None:
    ingress = _res("Ingress", "gateway")
    (rule,) = ingress["spec"]["rules"]
    (path,) = rule["http"]["paths"]
    assert path["path"] == "/graphql"
    assert path["pathType"] == "Prefix"
    backend = path["backend"]["service"]
    svc = _res("Service", backend["name"])
    assert backend["name"] == "gateway"
    assert backend["port"]["name"] in {p["name"] for p in svc["spec"]["ports"]}


# --- Compose -------------------------------------------------------------------


def test_compose_matches_the_compose_spec_schema() -> None:
    result = _run(
        sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec",
        str(COMPOSE),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_schema_rejects_unknown_keys(tmp_path: Path) -> None:
    """The schema check is live, and sees keys merged in through YAML anchors."""
    bad = tmp_path / "compose.yaml"
    text = COMPOSE.read_text(encoding="utf-8")
    assert "  read_only: true\n" in text
    bad.write_text(text.replace("  read_only: true\n", "  read_only: true\n  readonly: true\n", 1))
    result = _run(
        sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec",
        str(bad),
    )  # fmt: skip
    assert result.returncode == 1
    assert "'readonly' was unexpected" in result.stdout


def _is_one_shot(name: str, services: dict[str, Doc]) -> bool:
    """Runs to completion: everything that waits for it waits for a successful exit."""
    conditions = [
        spec["condition"]
        for s in services.values()
        for dep, spec in s.get("depends_on", {}).items()
        if dep == name
    ]
    return bool(conditions) and set(conditions) == {"service_completed_successfully"}


def test_compose_services_are_health_checked_and_ordered() -> None:
    services = _compose()["services"]
    assert set(APPS) | {"kafka", "mongo", "mongo-init"} | COMPOSE_OBSERVABILITY == set(services)
    for name, svc in services.items():
        if _is_one_shot(name, services):
            assert svc["restart"] == "no", name
            continue
        if name in TRACING:  # images without a shell; nothing waits for them
            assert not any(name in s.get("depends_on", {}) for s in services.values()), name
            continue
        assert "healthcheck" in svc, f"{name} has no healthcheck"
        assert svc["healthcheck"]["test"][0] in {"CMD", "CMD-SHELL"}
        for dep, spec in svc.get("depends_on", {}).items():
            assert dep in services, f"{name} depends on unknown {dep}"
            want = (
                "service_completed_successfully"
                if _is_one_shot(dep, services)
                else "service_healthy"
            )
            assert spec["condition"] == want, (name, dep)
    for name in SERVICES:
        assert {"kafka", "mongo-init"} <= set(services[name]["depends_on"]), name
    assert set(APPS) - {"gateway"} <= set(services["gateway"]["depends_on"])
    assert services["mongo-init"]["depends_on"]["mongo"]["condition"] == "service_healthy"


@pytest.mark.parametrize("name", APPS)
def test_compose_app_service(name: str) -> None:
    services = _compose()["services"]
    svc = services[name]
    assert svc["image"] == APP_IMAGE
    assert svc["build"]["dockerfile"] == "deploy/Dockerfile"
    assert (COMPOSE_DIR / svc["build"]["context"]).resolve() == ROOT
    assert svc["command"] == ["python", "-m", f"boyin_{name}"]
    check = " ".join(svc["healthcheck"]["test"])
    assert f"127.0.0.1:{APP_PORT}/readyz" in check
    assert svc["read_only"] is True and "/tmp" in svc["tmpfs"]
    env = _compose_env(svc)
    assert env["BOYIN_PORT"] == str(APP_PORT)
    assert env["BOYIN_HOST"] == "0.0.0.0"
    assert not SECRET_KEYS & set(env), "secrets come from secrets.env"
    (env_file,) = svc["env_file"]
    assert env_file == {"path": "./secrets.env", "required": True}
    if name == "gateway":
        assert svc["ports"] == [f"{APP_PORT}:{APP_PORT}"]
    else:
        assert "ports" not in svc, "only the gateway is published"


def test_compose_matching_scales_out() -> None:
    matching = _compose()["services"]["matching"]
    replicas = matching["deploy"]["replicas"]
    assert isinstance(replicas, int) and replicas == 2
    assert "container_name" not in matching and "ports" not in matching
    assert replicas <= int(_compose_env(matching)["BOYIN_KAFKA_PARTITIONS"])


def test_compose_secrets_are_placeholders() -> None:
    example = _dotenv(COMPOSE_DIR / "secrets.env.example")
    assert set(example) == SECRET_KEYS
    assert set(_secret_example()["stringData"]) == SECRET_KEYS
    assert "secrets.env" in (COMPOSE_DIR / ".gitignore").read_text(encoding="utf-8").split()
    assert (
        not (COMPOSE_DIR / "secrets.env").exists()
        or _run("git", "check-ignore", "-q", str(COMPOSE_DIR / "secrets.env")).returncode == 0
    )


def test_prometheus_scrapes_every_app_with_the_metrics_token_from_a_file() -> None:
    """Every app refuses ``/metrics`` without ``BOYIN_METRICS_TOKEN`` (issue #20): the scrape
    jobs send it, read from a file (a Secret), never written in the config; the Kubernetes
    job keeps the pods the manifests annotate, compose's Prometheus names every app and
    has the token as a compose secret."""
    observability = DEPLOY / "observability"
    k8s_config = yaml.safe_load((observability / "prometheus-kubernetes.yaml").read_text("utf-8"))
    compose_config = yaml.safe_load((observability / "prometheus.yaml").read_text("utf-8"))
    (k8s,) = k8s_config["scrape_configs"]
    (compose,) = compose_config["scrape_configs"]
    for job in (k8s, compose):
        assert job["authorization"]["type"] == "Bearer"
        assert "credentials" not in job["authorization"], "the token is read from a file"
        assert job["authorization"]["credentials_file"].startswith(("/etc/prometheus/", "/run/"))
    assert k8s["authorization"]["credentials_file"].endswith("/BOYIN_METRICS_TOKEN")
    assert k8s["kubernetes_sd_configs"] == [{"role": "pod", "namespaces": {"names": [NAMESPACE]}}]
    for workload in _of_kind("Deployment").values():
        if workload["metadata"]["name"] in APPS:
            notes = workload["spec"]["template"]["metadata"]["annotations"]
            assert notes["prometheus.io/scrape"] == "true"
            assert notes["prometheus.io/path"] == "/metrics"
            assert notes["prometheus.io/port"] == str(APP_PORT)
    (names,) = compose["dns_sd_configs"]
    assert names["port"] == APP_PORT
    assert set(names["names"]) == set(APPS) <= set(_compose()["services"])
    secret = compose["authorization"]["credentials_file"].removeprefix("/run/secrets/")
    assert secret in _compose()["services"]["prometheus"]["secrets"]
    assert _compose()["secrets"][secret] == {"file": "./metrics-token"}
    ignored = (COMPOSE_DIR / ".gitignore").read_text(encoding="utf-8").split()
    assert "metrics-token" in ignored


def test_compose_kafka_is_a_single_kraft_node() -> None:
    services = _compose()["services"]
    kafka = services["kafka"]
    assert re.fullmatch(r"apache/kafka:4\.1\.\d+", kafka["image"])
    env = _compose_env(kafka)
    assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert env["CLUSTER_ID"]
    node = env["KAFKA_NODE_ID"]
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"] == f"{node}@kafka:9093"
    assert env["KAFKA_LISTENERS"] == "PLAINTEXT://:9092,CONTROLLER://:9093"
    assert env["KAFKA_CONTROLLER_LISTENER_NAMES"] == "CONTROLLER"
    assert env["KAFKA_ADVERTISED_LISTENERS"] == "PLAINTEXT://kafka:9092"
    for key, value in env.items():
        if key.endswith(("REPLICATION_FACTOR", "MIN_ISR", "MIN_INSYNC_REPLICAS")):
            assert value == "1", key
    volumes = dict(v.split(":", 1) for v in kafka["volumes"])
    assert env["KAFKA_LOG_DIRS"] in volumes.values()
    for name in APPS:
        assert _compose_env(services[name])["BOYIN_KAFKA_BOOTSTRAP"] == "kafka:9092"
    assert (
        env["KAFKA_NUM_PARTITIONS"] == _compose_env(services["matching"])["BOYIN_KAFKA_PARTITIONS"]
    )


def test_compose_mongo_is_an_initiated_replica_set() -> None:
    services = _compose()["services"]
    mongo, init = services["mongo"], services["mongo-init"]
    assert mongo["image"] == init["image"] == "mongo:8"
    rs = mongo["command"][mongo["command"].index("--replSet") + 1]
    script = "\n".join(init["command"])
    assert "NotYetInitialized" in script  # idempotent
    assert f'rs.initiate({{ _id: "{rs}", members: [{{ _id: 0, host: "mongo:27017" }}] }})' in script
    url = urlsplit(_compose_env(services["registry"])["BOYIN_MONGO_URL"])
    assert url.netloc == "mongo:27017"
    assert parse_qs(url.query) == {"replicaSet": [rs]}


def test_compose_env_parses_and_matches_the_k8s_config(monkeypatch: pytest.MonkeyPatch) -> None:
    services = _compose()["services"]
    envs = [_compose_env(services[name]) for name in APPS]
    assert all(e == envs[0] for e in envs)
    env = envs[0]
    assert set(env) == set(_config()), "compose and Kubernetes set the same settings"
    s = _settings(env | dict.fromkeys(SECRET_KEYS, "x"), monkeypatch)
    assert (s.bus, s.store, s.kafka_partitions, s.port) == ("kafka", "mongo", 6, APP_PORT)
    assert set(s.service_urls) == set(SERVICES)
    for name, url in s.service_urls.items():
        parts = urlsplit(url)
        assert (parts.hostname, parts.port) == (name, APP_PORT)
        assert parts.hostname in services
    for key in ("BOYIN_KAFKA_PARTITIONS", "BOYIN_MONGO_DB_PREFIX", "BOYIN_LOG_LEVEL"):
        assert env[key] == _config()[key], key


def test_images_agree_across_compose_k8s_and_the_dev_broker() -> None:
    services = _compose()["services"]
    kz_images = {i["name"]: i for i in _kustomization()["images"]}
    name, _, tag = APP_IMAGE.partition(":")
    assert kz_images[name]["newTag"] == tag
    kafka_image = _pod_spec(_res("StatefulSet", "kafka"))["containers"][0]["image"]
    assert services["kafka"]["image"] == kafka_image
    pom = (DEPLOY / "kafka" / "pom.xml").read_text(encoding="utf-8")
    match = re.search(r"<kafka\.version>([^<]+)</kafka\.version>", pom)
    assert match is not None
    assert kafka_image == f"apache/kafka:{match.group(1)}", "same Kafka as local dev and CI"
    mongo_images = {c["image"] for w in _workloads() if w["metadata"]["name"].startswith("mongo")
                    for c in _pod_spec(w)["containers"]}  # fmt: skip
    assert mongo_images == {services["mongo"]["image"]}


# --- Dockerfile ----------------------------------------------------------------

KNOWN_INSTRUCTIONS = {
    "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK",
    "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
}  # fmt: skip


def _dockerfile() -> list[Any]:
    commands: list[Any] = list(dockerfile.parse_file(str(DOCKERFILE)))
    return commands


def _dockerignore() -> list[tuple[bool, re.Pattern[str]]]:
    """``.dockerignore`` as (negated, regex) rules, in Docker's pattern syntax."""
    rules = []
    for raw in DOCKERIGNORE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        pattern = line.removeprefix("!").strip("/")
        regex = ""
        i = 0
        while i < len(pattern):
            if pattern.startswith("**/", i):
                regex, i = regex + "(?:.*/)?", i + 3
            elif pattern.startswith("**", i):
                regex, i = regex + ".*", i + 2
            elif pattern[i] == "*":
                regex, i = regex + "[^/]*", i + 1
            elif pattern[i] == "?":
                regex, i = regex + "[^/]", i + 1
            else:
                regex, i = regex + re.escape(pattern[i]), i + 1
        rules.append((negated, re.compile(regex)))
    return rules


def _ignored(path: str) -> bool:
    """Whether Docker leaves ``path`` (or a folder above it) out of the build context."""
    parts = PurePosixPath(path).parts
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    ignored = False
    for negated, regex in _dockerignore():
        if any(regex.fullmatch(c) for c in candidates):
            ignored = not negated
    return ignored


def test_dockerfile_parses_with_known_instructions() -> None:
    commands = _dockerfile()
    unknown = {c.cmd for c in commands} - KNOWN_INSTRUCTIONS
    assert not unknown, f"unknown instructions: {unknown}"
    with pytest.raises(dockerfile.GoParseError):  # the parser is live
        dockerfile.parse_string("FROM scratch\nCOPY <<EOF /x\n")


def test_dockerfile_builds_the_locked_workspace() -> None:
    commands = _dockerfile()
    args = dict(c.value[0].split("=", 1) for c in commands if c.cmd == "ARG" and "=" in c.value[0])
    stages = [c for c in commands if c.cmd == "FROM"]
    assert len(stages) >= 1
    for stage in stages:
        image = re.sub(r"\$\{(\w+)\}", lambda m: args[m.group(1)], stage.value[0])
        # the portal's static build is the one stage on Node.js (the version run.sh needs)
        named = stage.value[2] if len(stage.value) > 2 else ""
        assert image == ("node:20-slim" if named == "portal" else "python:3.11-slim"), image
    runs = [c.value[0] for c in commands if c.cmd == "RUN"]
    assert "pip install uv==0.13.8" in runs
    syncs = [r for r in runs if r.startswith("uv sync")]
    assert syncs
    for sync in syncs:
        assert {"--frozen", "--no-dev", "--all-packages"} <= set(sync.split()), sync

    copied: set[str] = set()
    for c in commands:
        if c.cmd != "COPY" or any(f.startswith("--from=") for f in c.flags):
            continue
        for src in (s.rstrip("/") for s in c.value[:-1]):
            if not any(ch in src for ch in "*?["):
                copied.add(src)
                continue
            # Without --parents, a glob would copy every match into one folder.
            assert "--parents" in c.flags and c.value[-1] in {".", "./"}, c.value
            matches = {p.relative_to(ROOT).as_posix() for p in ROOT.glob(src)}
            assert matches, f"COPY {src}: matches nothing"
            copied |= matches
    for src in copied:
        assert (ROOT / src).exists(), f"COPY {src}: no such path in the repository"
        assert not _ignored(src), f"COPY {src}: excluded by .dockerignore"
    root = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    members = [
        p.relative_to(ROOT).as_posix()
        for pattern in root["tool"]["uv"]["workspace"]["members"]
        for p in sorted(ROOT.glob(pattern))
        if (p / "pyproject.toml").is_file()
    ]
    assert {m.rsplit("/", 1)[-1] for m in members} >= {*APPS, "shared", "platform"}
    for member in members:
        assert f"{member}/pyproject.toml" in copied, f"{member} manifest not copied first"
        assert any(
            member == c or member.startswith(c + "/") for c in copied - {f"{member}/pyproject.toml"}
        ), member
    assert {"pyproject.toml", "uv.lock"} <= copied


def test_dockerfile_builds_the_portal_into_the_image() -> None:
    """The image serves the web portal: a Node.js stage builds it from the lock file and the
    SDL (``npm ci``, ``npm run build``), the runtime copies ``dist`` and points
    ``BOYIN_PORTAL_DIR`` at it."""
    commands = _dockerfile()
    froms = [i for i, c in enumerate(commands) if c.cmd == "FROM"]
    (start,) = [i for i in froms if commands[i].value[-1] == "portal"]
    end = min([i for i in froms if i > start] or [len(commands)])
    portal = commands[start:end]
    runs = [c.value[0] for c in portal if c.cmd == "RUN"]
    assert runs[0].startswith("npm ci") and runs[-1] == "npm run build"
    copied = [src for c in portal if c.cmd == "COPY" for src in c.value[:-1]]
    assert "gateway/portal/package-lock.json" in copied and "gateway/schema.graphql" in copied
    final = commands[max(froms) :]
    env: dict[str, str] = {}
    for c in final:
        if c.cmd == "ENV":
            env.update(zip(c.value[::2], c.value[1::2], strict=True))
    (into,) = [
        c.value[-1]
        for c in final
        if c.cmd == "COPY" and "--from=portal" in c.flags and c.value[0].endswith("/dist")
    ]
    assert env["BOYIN_PORTAL_DIR"] == into
    assert not _ignored("gateway/portal/src") and _ignored("gateway/portal/node_modules")


def test_dockerfile_runtime_stage() -> None:
    commands = _dockerfile()
    last_from = max(i for i, c in enumerate(commands) if c.cmd == "FROM")
    final = commands[last_from:]
    users = [c.value[0] for c in final if c.cmd == "USER"]
    assert users, "the runtime stage must not run as root"
    uid = users[-1].split(":")[0]
    assert uid.isdigit() and int(uid) != 0, "numeric, so runAsNonRoot can verify it"
    for workload in _workloads():
        if workload["metadata"]["name"] in APPS:
            assert str(_pod_spec(workload)["securityContext"]["runAsUser"]) == uid
    env: dict[str, str] = {}
    for c in final:
        if c.cmd == "ENV":
            env.update(zip(c.value[::2], c.value[1::2], strict=True))
    assert env["BOYIN_HOST"] == "0.0.0.0"
    assert env["BOYIN_PORT"] == str(APP_PORT)
    assert [c.value for c in final if c.cmd == "EXPOSE"] == [(str(APP_PORT),)]
    (cmd,) = [c for c in final if c.cmd == "CMD"]
    assert cmd.json, "exec form, so the process gets SIGTERM"
    assert list(cmd.value[:2]) == ["python", "-m"]


def test_dockerignore_keeps_the_context_small_and_secret_free() -> None:
    for path in (".git", ".venv", ".cache", "tests", "deploy/compose/secrets.env", "x/.env"):
        assert _ignored(path), path
    for path in (
        "uv.lock",
        "shared/src/boyin_shared/settings.py",
        "deploy/platform/pyproject.toml",
    ):
        assert not _ignored(path), path


@pytest.mark.parametrize("name", APPS)
def test_every_deployed_app_has_an_entry_point(name: str) -> None:
    """A manifest may only run a module that exists (``python -m boyin_<name>``)."""
    assert importlib.util.find_spec(f"boyin_{name}.__main__") is not None
