"""Validate the Kubernetes manifests offline: `python deploy/validate_k8s.py [DIR ...]`.

Each directory (default: deploy/k8s/base and every overlay) is rendered with
`kubectl kustomize` (or the `kustomize` program), and every resulting object is checked
against the Kubernetes OpenAPI schemas of KUBERNETES_VERSION with kubernetes-validate in
strict mode (unknown fields are errors), then against Luvat's own rules:

- every container has resource requests and limits, runs as non-root with a read-only root
  file system, no privilege escalation and no capabilities;
- configuration comes from the environment: every ConfigMap/Secret key and every `env` name
  given to a container is a variable declared in src/luvat/config/env.py;
- web pods are ready on /readyz and alive on /livez; every Deployment has a
  PodDisruptionBudget selecting its pods.

Exit status 0 when every object passes; the errors are printed otherwise.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import kubernetes_validate
import yaml

ROOT = Path(__file__).resolve().parent.parent
K8S = ROOT / "deploy" / "k8s"
KUBERNETES_VERSION = "1.33.0"
POD_KINDS = {"Deployment", "Job", "StatefulSet", "DaemonSet"}


def declared_variables() -> set[str]:
    sys.path.insert(0, str(ROOT / "src"))
    from luvat.config.env import VARIABLES  # type: ignore[import-not-found,unused-ignore]

    return {variable.name for variable in VARIABLES}


def renderer() -> list[str] | None:
    if shutil.which("kubectl"):
        return ["kubectl", "kustomize"]
    if shutil.which("kustomize"):
        return ["kustomize", "build"]
    return None


def render(directory: Path) -> list[dict[str, Any]]:
    """The objects of a Kustomize directory, rendered by kubectl kustomize or kustomize."""
    tool = renderer()
    if tool is None:
        raise ValueError("neither kubectl nor kustomize is installed")
    command = [*tool, str(directory)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ValueError(f"{' '.join(command)} failed: {result.stderr.strip()}")
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def name_of(obj: dict[str, Any]) -> str:
    return f"{obj.get('kind')}/{obj.get('metadata', {}).get('name')}"


def pod_spec(obj: dict[str, Any]) -> dict[str, Any] | None:
    if obj.get("kind") not in POD_KINDS:
        return None
    spec: dict[str, Any] = obj.get("spec", {}).get("template", {}).get("spec", {})
    return spec


def schema_errors(obj: dict[str, Any]) -> list[str]:
    try:
        kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
    except kubernetes_validate.ValidationError as error:
        path = ".".join(str(part) for part in error.path)
        return [f"{name_of(obj)}: {path or '(top)'}: {error.message}"]
    except (kubernetes_validate.SchemaNotFoundError, kubernetes_validate.InvalidSchemaError) as e:
        return [f"{name_of(obj)}: no schema: {e}"]
    return []


def container_errors(obj: dict[str, Any], variables: set[str]) -> list[str]:
    spec = pod_spec(obj)
    if spec is None:
        return []
    errors = []
    pod_security = spec.get("securityContext", {})
    for container in spec.get("containers", []) + spec.get("initContainers", []):
        where = f"{name_of(obj)} container {container.get('name')}"
        resources = container.get("resources", {})
        for part in ("requests", "limits"):
            for resource in ("cpu", "memory"):
                if resource not in resources.get(part, {}):
                    errors.append(f"{where}: no {resource} {part[:-1]}")
        security = {**pod_security, **container.get("securityContext", {})}
        if not security.get("runAsNonRoot") or security.get("runAsUser", 1) == 0:
            errors.append(f"{where}: must run as non-root")
        if not security.get("readOnlyRootFilesystem"):
            errors.append(f"{where}: root file system must be read-only")
        if security.get("allowPrivilegeEscalation", True):
            errors.append(f"{where}: allowPrivilegeEscalation must be false")
        if security.get("capabilities", {}).get("drop") != ["ALL"]:
            errors.append(f"{where}: must drop ALL capabilities")
        for variable in container.get("env", []):
            if variable.get("name") not in variables:
                errors.append(f"{where}: env {variable.get('name')} is not in config/env.py")
        if obj.get("metadata", {}).get("labels", {}).get("app.kubernetes.io/component") == "web":
            for probe, path in (("readinessProbe", "/readyz"), ("livenessProbe", "/livez")):
                if container.get(probe, {}).get("httpGet", {}).get("path") != path:
                    errors.append(f"{where}: {probe} must GET {path}")
    return errors


def config_errors(obj: dict[str, Any], variables: set[str]) -> list[str]:
    if obj.get("kind") not in {"ConfigMap", "Secret"}:
        return []
    keys = {**obj.get("data", {}), **obj.get("stringData", {})}
    return [
        f"{name_of(obj)}: {key} is not a variable of config/env.py"
        for key in keys
        if key not in variables
    ]


def disruption_errors(objects: list[dict[str, Any]]) -> list[str]:
    budgets = [
        (
            o.get("metadata", {}).get("namespace"),
            o["spec"].get("selector", {}).get("matchLabels", {}),
        )
        for o in objects
        if o.get("kind") == "PodDisruptionBudget"
    ]
    errors = []
    for obj in objects:
        if obj.get("kind") != "Deployment":
            continue
        labels = obj["spec"]["template"].get("metadata", {}).get("labels", {})
        namespace = obj.get("metadata", {}).get("namespace")
        if not any(
            ns == namespace and selector and selector.items() <= labels.items()
            for ns, selector in budgets
        ):
            errors.append(f"{name_of(obj)}: no PodDisruptionBudget selects its pods")
    return errors


def validate(objects: list[dict[str, Any]], variables: set[str] | None = None) -> list[str]:
    """Every error of these objects; empty when they pass."""
    variables = declared_variables() if variables is None else variables
    errors: list[str] = []
    for obj in objects:
        errors += schema_errors(obj)
        errors += container_errors(obj, variables)
        errors += config_errors(obj, variables)
    errors += disruption_errors(objects)
    errors += selector_errors(objects)
    return errors


def selector_errors(objects: list[dict[str, Any]]) -> list[str]:
    """The API server refuses a Deployment whose selector does not match its pods' labels."""
    errors = []
    for obj in objects:
        if obj.get("kind") != "Deployment":
            continue
        selector = obj["spec"].get("selector", {}).get("matchLabels", {})
        labels = obj["spec"]["template"].get("metadata", {}).get("labels", {})
        if not selector or not selector.items() <= labels.items():
            errors.append(f"{name_of(obj)}: selector {selector} does not match its pod labels")
    return errors


def raw_files(directory: Path) -> list[dict[str, Any]]:
    """The objects of a directory's resource files as written, for a machine without kubectl."""
    kustomization = yaml.safe_load((directory / "kustomization.yaml").read_text())
    objects: list[dict[str, Any]] = []
    for resource in kustomization.get("resources", []):
        path = directory / resource
        if path.is_file():
            objects += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    return objects


def directories() -> Iterable[Path]:
    yield K8S / "base"
    yield from sorted(p for p in (K8S / "overlays").iterdir() if p.is_dir())


def main(argv: list[str]) -> int:
    targets = [Path(a) for a in argv] or list(directories())
    variables = declared_variables()
    failed = 0
    if renderer() is None:
        # Neither is packaged for Debian 12 (its kubernetes-client 1.20 has a kustomize too old
        # for this syntax): check the base's files as written, and say that rendering was not.
        print(
            "kubectl/kustomize not installed: overlays NOT rendered; base files checked as written"
        )
        errors = validate(raw_files(K8S / "base"), variables)
        for error in errors:
            print(f"  {error}")
        print(f"{'FAIL' if errors else 'ok  '} deploy/k8s/base (files as written)")
        return 1 if errors else 0
    for directory in targets:
        try:
            objects = render(directory)
        except ValueError as error:
            print(f"FAIL {directory}: {error}")
            failed += 1
            continue
        errors = validate(objects, variables)
        shown = directory.relative_to(ROOT) if directory.is_relative_to(ROOT) else directory
        kinds = sorted({str(o.get("kind")) for o in objects})
        if errors:
            failed += 1
            print(f"FAIL {shown}: {len(errors)} error(s)")
            for error in errors:
                print(f"  {error}")
        else:
            print(
                f"ok   {shown}: {len(objects)} objects ({', '.join(kinds)}) valid for "
                f"Kubernetes {KUBERNETES_VERSION}"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
