"""Interop with the real azure-ai-ml 1.35.2 (installed by the test extra `interop`)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from aml_entities import CommandJob as OurCommandJob
from aml_entities import load_job as our_load_job
from conftest import CORPUS

azure_ml = pytest.importorskip("azure.ai.ml", reason="needs the interop extra: pip install -e '.[interop]'")


def _azure_job_values(job: object) -> dict[str, object]:
    inputs = {}
    for key, value in (getattr(job, "inputs", None) or {}).items():
        data = getattr(value, "_data", value)  # azure-ai-ml wraps each input of a command node
        inputs[key] = data if isinstance(data, (bool, int, float, str)) else data.path
    return {
        "command": getattr(job, "command", None),
        "display_name": getattr(job, "display_name", None),
        "experiment_name": getattr(job, "experiment_name", None),
        "environment_variables": dict(getattr(job, "environment_variables", None) or {}),
        "inputs": inputs,
    }


def _our_values(job: OurCommandJob) -> dict[str, object]:
    inputs = {}
    for key, value in (job.inputs or {}).items():
        inputs[key] = getattr(value, "path", value)
    return {
        "command": job.command,
        "display_name": job.display_name,
        "experiment_name": job.experiment_name,
        "environment_variables": dict(job.environment_variables or {}),
        "inputs": inputs,
    }


LOADABLE = [
    "jobs__basics__hello-world.yml",
    "jobs__basics__hello-iris-literal.yml",
    "jobs__basics__hello-world-env-var.yml",
    "jobs__single-step__pytorch__iris__job.yml",
    "jobs__single-step__tensorflow__mnist-distributed__job.yml",
]


@pytest.mark.parametrize("name", LOADABLE)
def test_what_we_dump_azure_loads_to_the_same_values(name: str, tmp_path: Path) -> None:
    for folder in ("src", "data", "model"):
        (tmp_path / folder).mkdir()
    ours = our_load_job(CORPUS / name)
    assert isinstance(ours, OurCommandJob)
    dumped = tmp_path / "ours.yml"
    ours.dump(dumped)
    theirs = azure_ml.load_job(dumped)
    assert _azure_job_values(theirs) == _our_values(ours)
    if ours.compute is not None:
        assert theirs.compute == ours.compute.removeprefix("azureml:")
    if ours.resources is not None and ours.resources.instance_count is not None:
        assert theirs.resources.instance_count == ours.resources.instance_count


def test_what_azure_dumps_from_the_page_example_we_load(tmp_path: Path) -> None:
    from azure.ai.ml import Input, Output
    from azure.ai.ml.entities import CommandJob, CommandJobLimits

    job = CommandJob(
        code="./src",
        command="python train.py --ss {search_space.ss}",
        inputs={"input1": Input(path="trial.csv")},
        outputs={"default": Output(path="./foo")},
        compute="trial",
        environment="AzureML-sklearn-1.0-ubuntu20.04-py38-cpu:33",
        limits=CommandJobLimits(timeout=120),
    )
    dest = tmp_path / "azure.yml"
    job.dump(dest)
    ours = our_load_job(dest)
    assert isinstance(ours, OurCommandJob)
    assert ours.command == "python train.py --ss {search_space.ss}"
    assert ours.limits is not None and ours.limits.timeout == 120
    assert ours.environment == "azureml:AzureML-sklearn-1.0-ubuntu20.04-py38-cpu:33"
    assert ours.outputs is not None and ours.outputs["default"] is not None and ours.outputs["default"].path == "./foo"
    # and our own dump of it loads back to an equal object, which azure-ai-ml's does not
    stream = io.StringIO()
    ours.dump(stream)
    assert our_load_job(io.StringIO(stream.getvalue())) == ours
