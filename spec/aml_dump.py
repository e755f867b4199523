"""What azure-ai-ml 1.35.2 writes when it dumps a job it loaded, read back as the job it dumped.

``Command.dump`` nests the command and its settings under a ``component:`` block (the job's
anonymous component) and changes a few values on the way; azure-ai-ml cannot load these files
itself. :func:`from_component_job` rebuilds the job document from one: ``command``, ``code``,
``name``, ``display_name``, ``description`` and ``tags`` come from ``component:``, everything
else from the top level, with the values azure-ai-ml changed put back as the job had them.

What the dump does not hold cannot come back: ``experiment_name``, ``parent_job_name``,
``$schema``, tags whose value is null, services of no known type, the name of a job that had
none (the dump names its component ``azureml_anonymous``), the relative form of a local ``code``
path (the dump writes it absolute), and the prefix of an input path ``azureml:NAME`` without a
version (written as the dump writes the local path ``NAME``).
"""

from __future__ import annotations

import re
from typing import Any

#: The component name the dump gives a job that has no name.
ANONYMOUS = "azureml_anonymous"
#: The name and version the dump gives an inline environment.
ANONYMOUS_ENVIRONMENT = "CliV2AnonymousEnvironment"
#: What ``component:`` holds of the job itself (everything else is at the top level too).
FROM_COMPONENT = ("command", "code", "display_name", "description", "tags")
#: What the top level may leave out and ``component:`` also holds.
ALSO_IN_COMPONENT = ("environment", "environment_variables", "distribution")
#: An asset reference after ``azureml:``, ``NAME:VERSION`` or ``NAME@LABEL``, which the dump keeps as the
#: job wrote it; any other path got ``azureml:`` put in front. The dump writes a local path ``data`` and a
#: reference ``azureml:data`` alike: it is read as the local path, which jobs write (the reference,
#: without a version, they do not).
ASSET = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*[:@][A-Za-z0-9_.-]+")


def from_component_job(document: dict[Any, Any]) -> dict[Any, Any]:
    """The job that azure-ai-ml dumped as ``document`` (a top-level ``component:`` mapping and no
    ``command``); any other document as it is. ``document`` itself is not changed."""
    component = document.get("component")
    if not isinstance(component, dict) or "command" in document:
        return document
    job = {key: value for key, value in document.items() if key != "component"}
    for key in FROM_COMPONENT:
        if key in component:
            job[key] = component[key]
    for key in ALSO_IN_COMPONENT:
        if key not in job and key in component:
            job[key] = component[key]
    name = component.get("name")
    if isinstance(name, str) and name != ANONYMOUS:
        job["name"] = name
    if isinstance(job.get("environment"), dict):
        job["environment"] = _environment(job["environment"])
    ports = component.get("inputs")
    if isinstance(job.get("inputs"), dict):
        job["inputs"] = _inputs(job["inputs"], ports if isinstance(ports, dict) else {})
    outputs = component.get("outputs")
    if isinstance(outputs, dict) and outputs:
        job["outputs"] = _outputs(job.get("outputs"), outputs)
    return job


def _environment(environment: dict[Any, Any]) -> dict[Any, Any]:
    """An inline environment without the name and version the dump made up for it."""
    if environment.get("name") != ANONYMOUS_ENVIRONMENT:
        return environment
    return {key: value for key, value in environment.items() if key not in ("name", "version")}


def _inputs(inputs: dict[Any, Any], ports: dict[Any, Any]) -> dict[Any, Any]:
    """The job's inputs: a boolean literal the dump wrote as 0 or 1 (its port says ``boolean``)
    as the boolean, a binding the dump wrote as ``{path: ${{...}}}`` as the string, and a path the
    dump put ``azureml:`` in front of without it."""
    out: dict[Any, Any] = {}
    for key, value in inputs.items():
        port = ports.get(key)
        kind = port.get("type") if isinstance(port, dict) else None
        if kind == "boolean" and type(value) is int and value in (0, 1):
            value = bool(value)
        elif isinstance(value, dict) and isinstance(value.get("path"), str):
            path: str = value["path"]
            if set(value) == {"path"} and path.startswith("${{"):
                value = path
            elif path.startswith("azureml:") and not _kept(path.removeprefix("azureml:")):
                value = {**value, "path": path.removeprefix("azureml:")}
        out[key] = value
    return out


def _kept(rest: str) -> bool:
    """Whether ``azureml:`` + ``rest`` is a path the dump kept as written (an asset reference or
    an ``azureml://`` URI), not one it put the prefix in front of."""
    return rest.startswith("//") or ASSET.fullmatch(rest) is not None


def _outputs(outputs: object, ports: dict[Any, Any]) -> object:
    """The job's outputs: one the job left null is a port of the component only."""
    if outputs is not None and not isinstance(outputs, dict):
        return outputs
    out = dict(outputs or {})
    for key in ports:
        out.setdefault(key, None)
    return out
