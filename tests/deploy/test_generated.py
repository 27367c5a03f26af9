"""The deploy files are generated from the one list of services, and the list is complete.

``boyin_platform.services`` lists the services; ``python -m boyin_platform.manifests
--write`` renders compose and Kubernetes from it and ``deploy/templates``. A committed
file that differs (edited by hand, or not regenerated after the list changed) fails here.
"""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path

import pytest
import yaml  # type: ignore[import-untyped]

from boyin_platform import manifests
from boyin_platform.services import SERVICES, Autoscaled, Replicas, Resources, Service

ROOT = Path(__file__).resolve().parents[2]
FIX = "run `uv run python -m boyin_platform.manifests --write`"


@pytest.mark.parametrize("path", sorted(manifests.render(ROOT)), ids=str)
def test_committed_file_is_what_the_list_renders(path: Path) -> None:
    committed = ROOT / path
    assert committed.exists(), f"{path} is missing: {FIX}"
    assert committed.read_text("utf-8") == manifests.render(ROOT)[path], (
        f"{path} differs from what boyin_platform.services and deploy/templates render: "
        f"change those (not the file) and {FIX}"
    )


def test_no_generated_file_outlives_its_service() -> None:
    assert manifests.stale(ROOT, manifests.render(ROOT)) == [], FIX


def test_the_check_command_passes_on_the_committed_tree(capsys: pytest.CaptureFixture[str]) -> None:
    assert manifests.main(["--root", str(ROOT)]) == 0, capsys.readouterr().err


def test_a_new_service_is_one_entry(tmp_path: Path) -> None:
    """A service added to the list gets its compose service, manifest, kustomization entry,
    gateway dependency and URL, and nothing else changes for the others."""
    extra = Service("guidance", Replicas(2), Resources("100m", "256Mi", "1", "512Mi"))
    before = manifests.render(ROOT)
    after = manifests.render(ROOT, (*SERVICES, extra))
    assert set(after) - set(before) == {Path("deploy/k8s/guidance.yaml")}
    for name in ("registry", "matching", "scheduling"):
        path = Path(f"deploy/k8s/{name}.yaml")
        assert after[path] == before[path]

    deployment, service = yaml.safe_load_all(after[Path("deploy/k8s/guidance.yaml")])
    assert (deployment["kind"], deployment["spec"]["replicas"]) == ("Deployment", 2)
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    assert container["command"] == ["python", "-m", "boyin_guidance"]
    assert service["kind"] == "Service"
    assert "  - guidance.yaml\n" in after[Path("deploy/k8s/kustomization.yaml")]

    compose = yaml.safe_load(after[Path("deploy/compose/compose.yaml")])
    assert compose["services"]["guidance"]["command"] == ["python", "-m", "boyin_guidance"]
    assert "guidance" in compose["services"]["gateway"]["depends_on"]
    assert "          - guidance\n" in after[Path("deploy/monitoring/prometheus.yaml")]
    config = yaml.safe_load(after[Path("deploy/k8s/config.yaml")])
    assert '"guidance":"http://guidance:8000"' in config["data"]["BOYIN_SERVICE_URLS"]

    # removing it again leaves its manifest stale, which --write deletes
    (tmp_path / "deploy").mkdir()
    for folder in ("templates", "k8s", "compose", "monitoring"):
        src = ROOT / "deploy" / folder
        for file in src.rglob("*"):
            if file.is_file():
                target = tmp_path / "deploy" / folder / file.relative_to(src)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(file.read_bytes())
    (tmp_path / "deploy/k8s/guidance.yaml").write_text(after[Path("deploy/k8s/guidance.yaml")])
    assert manifests.stale(tmp_path, before) == [Path("deploy/k8s/guidance.yaml")]
    assert manifests.main(["--root", str(tmp_path)]) == 1
    assert manifests.main(["--root", str(tmp_path), "--write"]) == 0
    assert not (tmp_path / "deploy/k8s/guidance.yaml").exists()
    assert manifests.main(["--root", str(tmp_path)]) == 0


def test_autoscaling_follows_the_list() -> None:
    matching = next(s for s in SERVICES if s.name == "matching")
    assert isinstance(matching.scale, Autoscaled)
    bigger = replace(matching, scale=Autoscaled(least=3, most=5))
    text = manifests.render(ROOT, [bigger])[Path("deploy/k8s/matching.yaml")]
    hpa = next(d for d in yaml.safe_load_all(text) if d["kind"] == "HorizontalPodAutoscaler")
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (3, 5)


# --- the list is the services that exist ----------------------------------------


def test_every_service_with_an_app_is_listed() -> None:
    """A package under services/ with an ``app.py`` is a service: it must be deployed."""
    with_app = {p.parents[2].name for p in ROOT.glob("services/*/src/boyin_*/app.py")}
    assert with_app == {s.name for s in SERVICES}


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
def test_each_listed_service_is_the_package_it_names(service: Service) -> None:
    assert (ROOT / "services" / service.name / "src" / service.module / "__main__.py").is_file()
    assert service.definition().name == service.name


def test_the_platform_package_depends_on_every_service() -> None:
    """The workspace root depends on the platform, and the platform on every service, so
    one line in deploy/platform/pyproject.toml puts a new service in the environment."""
    platform = tomllib.loads((ROOT / "deploy/platform/pyproject.toml").read_text("utf-8"))
    deps = set(platform["project"]["dependencies"])
    sources = platform["tool"]["uv"]["sources"]
    for service in SERVICES:
        package = f"boyin-{service.name}"
        assert package in deps, package
        assert sources[package] == {"workspace": True}, package
    root = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert "boyin-platform" in root["project"]["dependencies"]
