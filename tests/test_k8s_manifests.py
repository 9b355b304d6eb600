"""The Kubernetes manifests (deploy/k8s) validate offline, and the validator refuses bad ones."""

from __future__ import annotations

import copy
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("validate_k8s", ROOT / "deploy/validate_k8s.py")
assert _spec is not None and _spec.loader is not None
validate_k8s = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(validate_k8s)


@pytest.fixture(scope="module")
def base():
    return validate_k8s.raw_files(validate_k8s.K8S / "base")


def find(objects, kind, name):
    return next(o for o in objects if o["kind"] == kind and o["metadata"]["name"] == name)


def test_base_files_validate(base):
    assert {o["kind"] for o in base} >= {
        "Deployment",
        "Service",
        "Ingress",
        "Job",
        "PodDisruptionBudget",
        "ConfigMap",
    }
    assert validate_k8s.validate(base) == []


@pytest.mark.skipif(validate_k8s.renderer() is None, reason="kubectl/kustomize not installed")
@pytest.mark.parametrize("directory", list(validate_k8s.directories()), ids=lambda p: p.name)
def test_rendered_kustomizations_validate(directory):
    objects = validate_k8s.render(directory)
    assert validate_k8s.validate(objects) == []
    web = find(objects, "Deployment", "luvat-web")["spec"]["template"]["spec"]["containers"][0]
    assert web["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert web["livenessProbe"]["httpGet"]["path"] == "/livez"


def broken(base, change):
    objects = copy.deepcopy(base)
    change(objects)
    return validate_k8s.validate(objects)


def web_container(objects):
    return find(objects, "Deployment", "luvat-web")["spec"]["template"]["spec"]["containers"][0]


def test_a_wrongly_typed_field_is_refused(base):
    def change(objects):
        find(objects, "Deployment", "luvat-web")["spec"]["replicas"] = "two"

    assert any("replicas" in e for e in broken(base, change))


def test_an_unknown_field_is_refused(base):
    def change(objects):
        web_container(objects)["readinessprobe"] = {"httpGet": {"path": "/readyz"}}

    assert any("readinessprobe" in e for e in broken(base, change))


def test_a_container_without_limits_or_as_root_is_refused(base):
    def change(objects):
        container = web_container(objects)
        del container["resources"]["limits"]
        container["securityContext"]["runAsUser"] = 0
        container["securityContext"]["readOnlyRootFilesystem"] = False

    errors = broken(base, change)
    assert any("no memory limit" in e for e in errors)
    assert any("non-root" in e for e in errors)
    assert any("read-only" in e for e in errors)


def test_configuration_outside_config_env_is_refused(base):
    def change(objects):
        find(objects, "ConfigMap", "luvat-config")["data"]["LUVAT_NO_SUCH_SETTING"] = "1"
        web_container(objects)["env"] = [{"name": "DJANGO_DEBUG", "value": "1"}]

    errors = broken(base, change)
    assert any("LUVAT_NO_SUCH_SETTING" in e for e in errors)
    assert any("DJANGO_DEBUG" in e for e in errors)


def test_wrong_probes_a_missing_budget_and_a_stray_selector_are_refused(base):
    def change(objects):
        web_container(objects)["livenessProbe"]["httpGet"]["path"] = "/healthz"
        objects.remove(find(objects, "PodDisruptionBudget", "luvat-worker"))
        worker = find(objects, "Deployment", "luvat-worker")
        worker["spec"]["selector"]["matchLabels"]["app.kubernetes.io/component"] = "other"

    errors = broken(base, change)
    assert any("livenessProbe must GET /livez" in e for e in errors)
    assert any("luvat-worker: no PodDisruptionBudget" in e for e in errors)
    assert any("does not match its pod labels" in e for e in errors)
