"""Hand-written pydantic v2 models of the CommandJob document, the shape of spec/aml_entities.yaml.

Idiomatic pydantic: discriminated unions on ``type``, unknown keys rejected, ``None`` left out when
dumping. Pydantic's default (lax) mode is what users get, so it is what is measured: it accepts the
string ``'7200'`` for an ``int``, which the generated package rejects.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

IoMode = Literal["ro_mount", "rw_mount", "download", "upload", "direct", "eval_mount", "eval_download"]
AssetType = Literal["uri_file", "uri_folder", "mltable", "mlflow_model", "custom_model", "triton_model"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Input(_Model):
    type: AssetType | Literal["integer", "number", "string", "boolean"] | None = None
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


class Output(_Model):
    type: AssetType | None = None
    path: str | None = None
    mode: IoMode | None = None
    description: str | None = None
    name: str | None = None
    version: str | None = None
    path_on_compute: str | None = None


class BuildContext(_Model):
    path: str | None = None
    dockerfile_path: str | None = None


class Environment(_Model):
    name: str | None = None
    version: str | None = None
    description: str | None = None
    image: str | None = None
    conda_file: str | None = None
    build: BuildContext | None = None
    tags: dict[str, str] | None = None
    os_type: str | None = None


class CommandJobLimits(_Model):
    timeout: int | None = None


class JobResourceConfiguration(_Model):
    instance_count: int | None = None
    instance_type: str | None = None
    properties: dict[str, Any] | None = None
    docker_args: str | list[str] | None = None
    shm_size: str | None = None
    locations: list[str] | None = None
    max_instance_count: int | None = None


class QueueSettings(_Model):
    job_tier: str | None = None
    priority: str | None = None


class ManagedIdentityConfiguration(_Model):
    type: Literal["managed"]
    client_id: str | None = None
    resource_id: str | None = Field(None, alias="msi_resource_id")
    object_id: str | None = None


class AmlTokenConfiguration(_Model):
    type: Literal["aml_token"]


class UserIdentityConfiguration(_Model):
    type: Literal["user_identity"]


class MpiDistribution(_Model):
    type: Literal["mpi"]
    process_count_per_instance: int | None = None


class PyTorchDistribution(_Model):
    type: Literal["pytorch"]
    process_count_per_instance: int | None = None


class TensorFlowDistribution(_Model):
    type: Literal["tensorflow"]
    worker_count: int | None = None
    parameter_server_count: int | None = None


class RayDistribution(_Model):
    type: Literal["ray"]
    port: int | None = None
    address: str | None = None
    include_dashboard: bool | None = None
    dashboard_port: int | None = None


class _Service(_Model):
    endpoint: str | None = None
    nodes: str | None = None
    status: str | None = None
    port: int | None = None
    properties: dict[str, str] | None = None


class JupyterLabJobService(_Service):
    type: Literal["jupyter_lab"]


class SshJobService(_Service):
    type: Literal["ssh"]
    ssh_public_keys: str | None = None


class TensorBoardJobService(_Service):
    type: Literal["tensor_board"]
    log_dir: str | None = None


class VsCodeJobService(_Service):
    type: Literal["vs_code"]


Identity = Annotated[
    ManagedIdentityConfiguration | AmlTokenConfiguration | UserIdentityConfiguration, Field(discriminator="type")
]
Distribution = Annotated[
    MpiDistribution | PyTorchDistribution | TensorFlowDistribution | RayDistribution, Field(discriminator="type")
]
Service = Annotated[
    JupyterLabJobService | SshJobService | TensorBoardJobService | VsCodeJobService, Field(discriminator="type")
]


class CommandJob(_Model):
    schema_: str | None = Field(None, alias="$schema")
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
    distribution: Distribution | None = None
    resources: JobResourceConfiguration | None = None
    queue_settings: QueueSettings | None = None
    inputs: dict[str, Input | str | bool | int | float] | None = None
    outputs: dict[str, Output | None] | None = None
    limits: CommandJobLimits | None = None
    identity: Identity | None = None
    services: dict[str, Service] | None = None


def from_dict(data: dict[str, Any]) -> CommandJob:
    return CommandJob.model_validate(data)


def to_dict(job: CommandJob) -> dict[str, Any]:
    return job.model_dump(by_alias=True, exclude_none=True)
