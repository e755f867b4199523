"""Behaviour of the generated aml_entities classes: MRO, keyword-only, read-only, defaults, enums."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import pydoc
import subprocess
import sys

import aml_entities
import pytest
from aml_entities import CommandJob, CommandJobLimits, JobStatus
from aml_entities.models import Job, JobIOMixin, JobService, ParameterizedCommand, SshJobService


def test_public_names_of_the_issue_import() -> None:
    for name in ("CommandJob", "Input", "Output", "CommandJobLimits", "JobStatus", "load_job", "DocumentError"):
        assert name in aml_entities.__all__


def test_every_generated_module_imports() -> None:
    names = [m.name for m in pkgutil.iter_modules(aml_entities.__path__, "aml_entities.")]
    assert {"aml_entities.models", "aml_entities.enums", "aml_entities._runtime"} <= set(names)
    for name in names:
        importlib.import_module(name)


def _fresh(code: str) -> str:
    """What ``code`` prints in a fresh interpreter (this one has imported everything already)."""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_importing_the_package_imports_no_module_of_it_yet() -> None:
    out = _fresh(
        "import sys, aml_entities\n"
        "print(sorted(m for m in sys.modules if m.startswith('aml_entities.') or m in ('dataclasses', 'yaml')))\n"
        "aml_entities.CommandJob\n"
        "print('aml_entities.models' in sys.modules, 'aml_entities.enums' in sys.modules, 'yaml' in sys.modules)"
    )
    assert out.splitlines() == ["[]", "True True False"]


def test_every_public_name_comes_from_the_package_as_before() -> None:
    out = _fresh(
        "from aml_entities import *\n"
        "import aml_entities\n"
        "missing = [n for n in aml_entities.__all__ if n not in globals()]\n"
        "print(missing, CommandJob is aml_entities.models.CommandJob, JobStatus is aml_entities.enums.JobStatus)\n"
        "print(DocumentError.__module__, load_job.__module__)"
    )
    assert out.splitlines() == ["[] True True", "aml_entities._problems aml_entities.models"]
    for name in aml_entities.__all__:
        home = importlib.import_module(f"aml_entities.{aml_entities._HOMES[name]}")
        assert getattr(aml_entities, name) is getattr(home, name)
    assert set(aml_entities.__all__) | {"models", "enums"} <= set(dir(aml_entities))
    with pytest.raises(AttributeError, match="module 'aml_entities' has no attribute 'CommandJbo'"):
        aml_entities.CommandJbo  # noqa: B018
    with pytest.raises(ImportError, match="CommandJbo"):
        exec("from aml_entities import CommandJbo", {})


def test_mro_follows_the_page() -> None:
    assert CommandJob.__mro__[1:4] == (Job, ParameterizedCommand, JobIOMixin)


@pytest.mark.parametrize("abstract", [Job, ParameterizedCommand, JobIOMixin])
def test_abstract_bases_cannot_be_instantiated(abstract: type) -> None:
    with pytest.raises(TypeError):
        abstract()


def test_constructor_is_keyword_only_with_the_page_parameters() -> None:
    params = inspect.signature(CommandJob).parameters
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params.values())
    for name in ("inputs", "outputs", "limits", "identity", "services", "code", "command", "compute",
                 "environment", "environment_variables", "distribution", "resources", "queue_settings",
                 "name", "display_name", "description", "tags", "properties", "experiment_name"):
        assert name in params, name
    with pytest.raises(TypeError):
        CommandJob("python x.py")  # type: ignore[misc]


def test_read_only_attributes_are_not_parameters_and_cannot_be_set() -> None:
    params = inspect.signature(CommandJob).parameters
    job = CommandJob(command="echo")
    for name in ("base_path", "creation_context", "id", "log_files", "status", "studio_url", "type", "parameters"):
        assert name not in params, name
        with pytest.raises(AttributeError):
            setattr(job, name, "x")
    assert job.type == "command" and job.status is None


def test_defaults_are_none_and_required_is_required() -> None:
    job = CommandJob(command="echo hi")
    assert job.inputs is None and job.limits is None and job.environment is None
    with pytest.raises(TypeError):
        CommandJob()  # type: ignore[call-arg]


def test_eq_and_repr() -> None:
    a = CommandJob(command="echo", limits=CommandJobLimits(timeout=5))
    b = CommandJob(command="echo", limits=CommandJobLimits(timeout=5))
    assert a == b and a != CommandJob(command="echo")
    assert repr(a) == "CommandJob(type='command', command='echo', limits=CommandJobLimits(timeout=5))"


def test_subclass_fixes_the_discriminator() -> None:
    assert SshJobService().type == "ssh"
    assert JobService().type is None
    assert "type" not in inspect.signature(SshJobService).parameters


def test_job_status_members_and_descriptions() -> None:
    page = ["NotStarted", "Starting", "Provisioning", "Preparing", "Queued", "Running", "Finalizing",
            "CancelRequested", "Completed", "Failed", "Canceled", "NotResponding"]
    values = [m.value for m in JobStatus]
    assert values == [*page, "Paused", "Unknown"]
    for member in JobStatus:
        assert member.description
    assert JobStatus("Running") is JobStatus.RUNNING and JobStatus.RUNNING == "Running"


def test_job_status_is_forward_compatible() -> None:
    new = JobStatus("Hibernating")
    assert new == "Hibernating" and new.value == "Hibernating" and new.description == ""


def test_classes_are_dataclasses_with_docstrings() -> None:
    for name in aml_entities.__all__:
        obj = getattr(aml_entities, name)
        assert obj.__doc__, name
        if isinstance(obj, type) and issubclass(obj, Job):
            assert dataclasses.is_dataclass(obj)


def test_help_shows_every_argument_and_attribute_with_its_description() -> None:
    """``help(CommandJob)`` (and an IDE's signature help, and pydoc) read the class docstring: it lists each
    constructor parameter, its bases' included, under ``Args:`` and each read-only attribute under
    ``Attributes:``, with the spec's description."""
    text = pydoc.render_doc(CommandJob, renderer=pydoc.plaintext)
    args = text[text.index("Args:") : text.index("Attributes:")]
    attributes = text[text.index("Attributes:") :]
    for f in dataclasses.fields(CommandJob):
        name = f.name.lstrip("_")
        where = args if f.init else attributes
        if name != "type":  # the discriminator, fixed by the class
            assert f"    {name}: " in where, name
    assert "command: The command line to run." in " ".join(args.split())
    assert "status: The status of the job" in " ".join(attributes.split())
    assert "Args:" not in (Job.__doc__ or "")  # abstract: it takes no arguments
    assert "Attributes:" in (Job.__doc__ or "")


def test_a_copy_keeps_what_the_document_said_and_replace_makes_one_through_the_constructor() -> None:
    import copy
    import io

    job = aml_entities.load_job(io.StringIO("command: x\nstatus: Running\nname: null\n"))
    kept = copy.copy(job)
    kept.command = "y"
    assert kept.status == "Running" and kept.to_dict() == {"status": "Running", "command": "y", "name": None}
    made = dataclasses.replace(job, command="y")  # as for any dataclass: read-only attributes stay behind
    assert made.status is None and made.to_dict() == {"command": "y"}
    assert job.to_dict() == {"status": "Running", "command": "x", "name": None}  # the original is untouched
