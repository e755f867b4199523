"""Hand-written msgspec Structs of the CommandJob document: the compiled, practical speed limit.

Tagged unions on ``type``, unknown keys rejected, strict types (``'7200'`` is not an ``int``),
``None`` defaults left out when dumping (``omit_defaults``).
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec

IoMode = Literal["ro_mount", "rw_mount", "download", "upload", "direct", "eval_mount", "eval_download"]
AssetType = Literal["uri_file", "uri_folder", "mltable", "mlflow_model", "custom_model", "triton_model"]
InputType = Literal[
    "uri_file",
    "uri_folder",
    "mltable",
    "mlflow_model",
    "custom_model",
    "triton_model",
    "integer",
    "number",
    "string",
    "boolean",
]


class _Struct(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True, kw_only=True):
    pass


class Input(_Struct):
    type: InputType | None = None
    path: str | None = None
    mode: IoMode | None = None
    default: str | int | float | bool | None = None
    optional: bool | None = None
    description: str | None = None
    min: int | float | None = None
    max: int | float | None = None
    enum: list[str] | None = None
    datastore: str | None = None
    path_on_compute: str | None = None


class Output(_Struct):
    type: AssetType | None = None
    path: str | None = None
    mode: IoMode | None = None
    description: str | None = None
    name: str | None = None
    version: str | None = None
    path_on_compute: str | None = None


class BuildContext(_Struct):
    path: str | None = None
    dockerfile_path: str | None = None


class Environment(_Struct):
    name: str | None = None
    version: str | None = None
    description: str | None = None
    image: str | None = None
    conda_file: str | None = None
    build: BuildContext | None = None
    tags: dict[str, str] | None = None
    os_type: str | None = None


class CommandJobLimits(_Struct):
    timeout: int | None = None


class JobResourceConfiguration(_Struct):
    instance_count: int | None = None
    instance_type: str | None = None
    properties: dict[str, Any] | None = None
    docker_args: str | list[str] | None = None
    shm_size: str | None = None
    locations: list[str] | None = None
    max_instance_count: int | None = None


class QueueSettings(_Struct):
    job_tier: str | None = None
    priority: str | None = None


class _Tagged(_Struct, tag_field="type"):
    pass


class ManagedIdentityConfiguration(_Tagged, tag="managed", rename={"resource_id": "msi_resource_id"}):
    client_id: str | None = None
    resource_id: str | None = None
    object_id: str | None = None


class AmlTokenConfiguration(_Tagged, tag="aml_token"):
    pass


class UserIdentityConfiguration(_Tagged, tag="user_identity"):
    pass


class MpiDistribution(_Tagged, tag="mpi"):
    process_count_per_instance: int | None = None


class PyTorchDistribution(_Tagged, tag="pytorch"):
    process_count_per_instance: int | None = None


class TensorFlowDistribution(_Tagged, tag="tensorflow"):
    worker_count: int | None = None
    parameter_server_count: int | None = None


class RayDistribution(_Tagged, tag="ray"):
    port: int | None = None
    address: str | None = None
    include_dashboard: bool | None = None
    dashboard_port: int | None = None


class _Service(_Tagged):
    endpoint: str | None = None
    nodes: str | None = None
    status: str | None = None
    port: int | None = None
    properties: dict[str, str] | None = None


class JupyterLabJobService(_Service, tag="jupyter_lab"):
    pass


class SshJobService(_Service, tag="ssh"):
    ssh_public_keys: str | None = None


class TensorBoardJobService(_Service, tag="tensor_board"):
    log_dir: str | None = None


class VsCodeJobService(_Service, tag="vs_code"):
    pass


class CommandJob(_Struct, kw_only=True, rename={"schema": "$schema"}):
    schema: str | None = None
    type: Literal["command"] = "command"
    name: str | None = None
    display_name: str | None = None
    description: str | None = None
    tags: dict[str, str] | None = None
    properties: dict[str, str] | None = None
    experiment_name: str | None = None
    compute: str | None = None
    command: str
    code: str | None = None
    environment_variables: dict[str, str] | None = None
    environment: str | Environment | None = None
    distribution: MpiDistribution | PyTorchDistribution | TensorFlowDistribution | RayDistribution | None = None
    resources: JobResourceConfiguration | None = None
    queue_settings: QueueSettings | None = None
    inputs: dict[str, Input | str | bool | int | float] | None = None
    outputs: dict[str, Output | None] | None = None
    limits: CommandJobLimits | None = None
    identity: ManagedIdentityConfiguration | AmlTokenConfiguration | UserIdentityConfiguration | None = None
    services: dict[str, JupyterLabJobService | SshJobService | TensorBoardJobService | VsCodeJobService] | None = None


def from_dict(data: dict[str, Any]) -> CommandJob:
    return msgspec.convert(data, CommandJob)


def to_dict(job: CommandJob) -> dict[str, Any]:
    return msgspec.to_builtins(job)  # type: ignore[no-any-return]
