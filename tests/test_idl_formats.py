"""The IDL's vocabulary for formats nobody here owns (issue 13), on a Kubernetes-like spec
(``tests/specs/cluster``): languages, key styles, presence (write back what was read), unknown keys,
dates, documents checked before they are written, several documents in a file, and the three judges
agreeing on documents that use all of it."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from conftest import ROOT, generate_into, import_fresh
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from judges import Documents, Judges, mutate

from generator.pipeline import build_package

CLUSTER = ROOT / "tests" / "specs" / "cluster" / "cluster.yaml"
EXAMPLES = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
  creationTimestamp: 2024-01-31T10:00:00Z
  uid: 1234
spec:
  containers:
    - name: app
      image: nginx
      ports: [{containerPort: 80, protocol: TCP}]
      resources: {limits: {cpu: 1}}
  restartPolicy: Always
  nodeName:
  startDate: '2024-02-01'
status: {phase: Running}
"""


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cluster")
    generate_into(CLUSTER, folder)
    return folder


@pytest.fixture(scope="module")
def cluster(out: Path) -> ModuleType:
    return import_fresh("cluster_entities", out / "cluster_entities")


@pytest.fixture(scope="module")
def judges(out: Path, cluster: ModuleType) -> Iterator[Judges]:
    models = import_fresh("cluster_entities_pydantic", out / "cluster_entities_pydantic")
    yield Judges.load(build_package(CLUSTER), out, cluster, models)


def load(cluster: ModuleType, text: str) -> Any:
    return cluster.load_resource(io.StringIO(text))


def dumped(cluster: ModuleType, obj: object) -> str:
    stream = io.StringIO()
    cluster.dump_resource(obj, stream)
    return stream.getvalue()


def test_an_english_only_spec_gets_english_texts_and_an_english_site(out: Path) -> None:
    assert build_package(CLUSTER).languages == ("en",)
    assert sorted(p.name for p in (out / "cluster_entities_docs" / "docs").iterdir()) == ["en", "stylesheets"]
    assert "Español" not in (out / "cluster_entities_docs" / "mkdocs.yml").read_text(encoding="utf-8")


def test_keys_follow_the_key_style(cluster: ModuleType) -> None:
    pod = load(cluster, POD)
    assert pod.api_version == "v1" and pod.metadata.creation_timestamp.year == 2024
    assert pod.spec.restart_policy is cluster.RestartPolicy.ALWAYS and pod.spec.containers[0].ports[0].container_port == 80
    assert set(pod.to_dict()["spec"]) == {"containers", "restartPolicy", "nodeName", "startDate"}


def test_a_key_with_an_acronym_is_the_fields_own_key(cluster: ModuleType, judges: Judges) -> None:
    """``host_ipc`` would be ``hostIpc`` in camelCase; its ``key`` makes it Kubernetes' ``hostIPC``."""
    pod = load(cluster, POD.replace("  nodeName:\n", "  hostIPC: true\n"))
    assert pod.spec.host_ipc is True and pod.to_dict()["spec"]["hostIPC"] is True
    assert "hostIPC: true\n" in dumped(cluster, pod)
    with pytest.raises(cluster.DocumentError, match=r"spec\.hostIpc: expected a known key \(did you mean \"hostIPC\"\?\), found an unknown key"):
        load(cluster, POD.replace("  nodeName:\n", "  hostIpc: true\n"))  # PodSpec forbids unknown keys
    doc = yaml.safe_load(POD.replace("  nodeName:\n", "  hostIPC: true\n"))
    assert judges.assert_agree(doc)  # the schema's property and the pydantic alias too
    assert judges.root_model.model_validate(doc).root.spec.hostIPC is True  # pydantic names fields by their keys


def test_a_document_is_written_back_as_it_was_read(cluster: ModuleType) -> None:
    """Keys given with their default value (protocol: TCP, an explicit null), a kept unknown key in
    place, a timestamp and a quoted date as written; the ignored key of a container is dropped."""
    text = dumped(cluster, load(cluster, POD))
    expected = yaml.safe_load(POD)
    del expected["spec"]["containers"][0]["resources"]  # Container ignores keys it does not model
    assert yaml.safe_load(text) == expected
    assert "creationTimestamp: 2024-01-31T10:00:00Z\n" in text and "startDate: '2024-02-01'\n" in text
    assert list(yaml.safe_load(text)["metadata"]) == ["name", "labels", "creationTimestamp", "uid"]


def test_defaults_not_written_are_not_added_except_one_always_written(cluster: ModuleType) -> None:
    config = cluster.ConfigMap(metadata=cluster.Metadata(name="c"))
    assert config.to_dict() == {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}
    assert load(cluster, "kind: ConfigMap\nmetadata: {name: c}\n").to_dict() == config.to_dict()
    given = load(cluster, "kind: ConfigMap\nmetadata: {name: c}\nimmutable: false\n")
    assert given == config  # equality stays value equality
    assert given.to_dict()["immutable"] is False and given.fields_set == {"kind", "metadata", "immutable"}
    assert config.fields_set == {"kind", "metadata"}  # a family member's kind is its own
    assert cluster.ConfigMap(metadata=cluster.Metadata(name="c"), immutable=True).fields_set == {"kind", "metadata", "immutable"}


def test_unknown_keys_kept_readable_and_written_in_place(cluster: ModuleType) -> None:
    pod = load(cluster, POD)
    assert dict(pod.unknown_keys) == {"status": {"phase": "Running"}} and dict(pod.metadata.unknown_keys) == {"uid": 1234}
    assert "unknown_keys={'status'" in repr(pod)
    with pytest.raises(TypeError):
        pod.unknown_keys["x"] = 1  # readable, not writable
    pod.metadata.namespace = "prod"  # set in Python: right after the key written before it (name)
    assert list(pod.to_dict()["metadata"]) == ["name", "namespace", "labels", "creationTimestamp", "uid"]


def test_a_mapping_that_keeps_unknown_keys_is_written_in_its_documents_key_order(cluster: ModuleType) -> None:
    """kubectl writes keys in alphabetical order, not the spec's: the unknown keys were each put back
    after the key they followed, but the modelled keys moved to the spec's order, so ``uid``, which
    followed ``name``, came out before ``labels`` and ``creationTimestamp`` after ``uid``'s neighbours."""
    text = POD.replace(
        "  name: web\n  labels: {app: web}\n  creationTimestamp: 2024-01-31T10:00:00Z\n  uid: 1234\n",
        "  creationTimestamp: 2024-01-31T10:00:00Z\n  labels: {app: web}\n  name: web\n  uid: 1234\n",
    ).replace("kind: Pod\n", "").replace("apiVersion: v1\n", "kind: Pod\napiVersion: v1\n")
    pod = load(cluster, text)
    written = yaml.safe_load(dumped(cluster, pod))
    assert list(written) == ["kind", "apiVersion", "metadata", "spec", "status"]
    assert list(written["metadata"]) == ["creationTimestamp", "labels", "name", "uid"]
    assert list(pod.to_dict()["metadata"]) == ["creationTimestamp", "labels", "name", "uid"]


def test_a_mapping_of_a_class_that_keeps_unknown_keys_is_written_in_its_documents_order_without_any(
    cluster: ModuleType,
) -> None:
    """Only a mapping that kept an unknown key was written in its document's order: a ConfigMap with
    none came back in the spec's, a diff of every line of a manifest kept in git."""
    text = "kind: ConfigMap\ndata: {a: b}\nmetadata: {labels: {x: y}, namespace: null, name: cfg}\napiVersion: v1\n"
    config = load(cluster, text)
    assert list(config.to_dict()) == ["kind", "data", "metadata", "apiVersion"]
    assert list(config.to_dict()["metadata"]) == ["labels", "namespace", "name"]  # null, its default, in its place
    assert yaml.safe_load(dumped(cluster, config)) == yaml.safe_load(text)
    assert list(yaml.safe_load(dumped(cluster, config))) == ["kind", "data", "metadata", "apiVersion"]
    assert config.unknown_keys == {} and "unknown_keys" not in repr(config)
    in_spec_order = load(cluster, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, labels: {x: y}}\ndata: {a: b}\n")
    assert config == in_spec_order and in_spec_order._doc is None  # the usual order costs nothing to remember
    config.immutable = True  # set in Python: right after the key to_dict writes before it (data)
    assert list(config.to_dict()) == ["kind", "data", "immutable", "metadata", "apiVersion"]
    # in the spec's order, a key given with its default value stays in its place, as does one set
    # since, and one always written (apiVersion)
    given = load(cluster, "kind: ConfigMap\nmetadata:\n  name: n\nimmutable: false\n")
    assert list(given.to_dict()) == ["apiVersion", "kind", "metadata", "immutable"]  # apiVersion: always written
    given.data = {"a": "b"}
    assert list(given.to_dict()) == ["apiVersion", "kind", "metadata", "data", "immutable"]
    # a class that forbids unknown keys writes the spec's order, whatever the document's
    spec = "  restartPolicy: Always\n  nodeName:\n  startDate: '2024-02-01'\n"
    assert spec in POD
    pod = load(cluster, POD.replace(spec, "").replace("spec:\n", "spec:\n  startDate: '2024-02-01'\n  restartPolicy: Always\n"))
    assert list(pod.to_dict()["spec"]) == ["containers", "restartPolicy", "startDate"]


def test_objects_are_equal_when_their_values_and_kept_unknown_keys_are(cluster: ModuleType) -> None:
    pod = load(cluster, POD)
    assert pod == load(cluster, POD)
    assert pod != load(cluster, POD.replace("uid: 1234", "uid: 1235"))  # a kept key's value
    assert pod != load(cluster, POD.replace("status: {phase: Running}", "status: {phase: Running}\nextra: 1"))
    # what differs only in spelling is equal: an optional field written null, or left out
    assert load(cluster, POD.replace("  nodeName:\n", "")) == pod
    with pytest.raises(TypeError, match="unhashable"):
        hash(pod)


def test_a_class_that_forbids_unknown_keys_still_does(cluster: ModuleType) -> None:
    with pytest.raises(cluster.DocumentError, match=r"<stream>:15:3: spec\.hostNetwork: expected a known key, found an unknown key"):
        load(cluster, POD.replace("  nodeName:\n", "  hostNetwork: true\n"))


def test_dates_load_from_timestamps_and_iso_strings_and_nothing_else(cluster: ModuleType) -> None:
    import datetime

    pod = load(cluster, POD.replace("'2024-02-01'", "2024-02-01"))
    assert pod.spec.start_date == datetime.date(2024, 2, 1)
    quoted = load(cluster, POD.replace("2024-01-31T10:00:00Z", "'2024-01-31T10:00:00+02:00'"))
    assert quoted.metadata.creation_timestamp.utcoffset() == datetime.timedelta(hours=2)  # the timezone kept
    assert "creationTimestamp: '2024-01-31T10:00:00+02:00'" in dumped(cluster, quoted)
    for bad in ("yesterday", "2024-02-30", "2024-02-01T10:00:00"):
        with pytest.raises(cluster.DocumentError, match="startDate: expected a date"):
            load(cluster, POD.replace("'2024-02-01'", f"'{bad}'"))


@pytest.fixture(scope="module")
def cluster12(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """The cluster format read as YAML 1.2 (``package.document.yaml: "1.2"``), which has no dates."""
    folder = tmp_path_factory.mktemp("cluster12")
    text = CLUSTER.read_text(encoding="utf-8").replace("name: cluster_entities", "name: cluster12_entities")
    spec = folder / "cluster12.yaml"
    spec.write_text(text.replace("    load_function: load_resource\n", '    load_function: load_resource\n    yaml: "1.2"\n'), encoding="utf-8")
    generate_into(spec, folder / "out")
    return import_fresh("cluster12_entities", folder / "out" / "cluster12_entities")


def test_in_yaml_1_2_a_date_is_written_as_a_string_and_read_back_as_the_date(cluster12: ModuleType) -> None:
    import datetime

    made = cluster12.Pod(
        metadata=cluster12.Metadata(name="w"),
        spec=cluster12.PodSpec(containers=[cluster12.Container(name="a", image="i")], start_date=datetime.date(2024, 2, 1)),
    )
    text = dumped(cluster12, made)
    assert "startDate: '2024-02-01'\n" in text  # quoted: YAML 1.1 reads the string YAML 1.2 reads
    assert yaml.safe_load(text)["spec"]["startDate"] == "2024-02-01"
    assert load(cluster12, text) == made and load(cluster12, text).spec.start_date == datetime.date(2024, 2, 1)
    # plain in a document, a date and time is a string in 1.2, which a field of dates reads; written back quoted
    pod = load(cluster12, POD.replace("'2024-02-01'", "2024-02-01"))
    assert pod.metadata.creation_timestamp == datetime.datetime(2024, 1, 31, 10, tzinfo=datetime.UTC)
    again = dumped(cluster12, pod)
    assert "creationTimestamp: '2024-01-31T10:00:00Z'\n" in again and "startDate: '2024-02-01'\n" in again
    assert load(cluster12, again) == pod
    tagged = load(cluster12, POD.replace("'2024-02-01'", "!!timestamp 2024-02-01"))  # a YAML date, by its tag
    assert load(cluster12, dumped(cluster12, tagged)).spec.start_date == datetime.date(2024, 2, 1)


def test_only_a_document_the_package_loads_is_written(cluster: ModuleType, tmp_path: Path) -> None:
    pod = load(cluster, POD)
    pod.spec.containers[0].ports[0].container_port = "eighty"
    pod.metadata.name = None
    with pytest.raises(cluster.DocumentError) as err:
        cluster.dump_resource(pod, tmp_path / "pod.yml")
    assert sorted(p.location for p in err.value.problems) == ["metadata.name", "spec.containers[0].ports[0].containerPort"]
    assert not (tmp_path / "pod.yml").exists()


def test_several_documents_in_one_file(cluster: ModuleType) -> None:
    both = POD + "---\nkind: ConfigMap\nmetadata: {name: c}\n"
    with pytest.raises(cluster.DocumentError, match=r"<stream>:18:1: expected one document \(use load_all_resource"):
        load(cluster, both)
    pod, config = cluster.load_all_resource(io.StringIO(both))
    assert pod.spec.containers[0].name == "app" and config.metadata.name == "c"
    with pytest.raises(cluster.DocumentError) as err:
        cluster.load_all_resource(io.StringIO(both + "---\nkind: ConfigMap\nmetadata: {}\n"))
    (problem,) = err.value.problems
    assert (problem.location, problem.line) == ("[2].metadata.name", 23)


def test_a_key_that_is_no_string_where_a_class_ignores_unknown_keys_is_refused(judges: Judges) -> None:
    doc = yaml.safe_load(POD)
    doc["spec"]["containers"][0][5] = "x"  # a Container ignores the keys it does not model
    verdicts = judges.verdicts(doc)
    assert verdicts["loader"] is not None and "spec.containers[0].5: expected a string key" in verdicts["loader"]
    assert verdicts["schema"] is not None
    # pydantic's extra="ignore" drops it without a word: the judge tells that known difference
    assert judges.root_model.model_validate(doc) is not None
    assert verdicts["pydantic"] == "a key that is no string (pydantic ignores it where the class ignores unknown keys)"


@EXAMPLES
@given(data=st.data())
def test_documents_that_use_every_feature_get_one_verdict(judges: Judges, data: st.DataObject) -> None:
    doc = data.draw(Documents(judges.package).document())
    assert judges.assert_agree(doc), doc
    judges.assert_agree(mutate(data.draw, judges.package, doc))


@EXAMPLES
@given(data=st.data())
def test_a_valid_document_is_written_back_as_it_was_read(judges: Judges, cluster: ModuleType, data: st.DataObject) -> None:
    """Defaults, discriminators and nulls spelled out, unknown keys, dates: ``dump(load(x))`` parses to ``x``,
    but for the keys a container ignores and the API version, which is always written."""
    doc = data.draw(Documents(judges.package).document())
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    again = yaml.safe_load(dumped(cluster, load(cluster, text)))
    assert again == as_written(yaml.safe_load(text))


def as_written(doc: Any) -> Any:
    """What ``dump`` writes of ``doc``: no unknown keys in its containers (Container ignores them), and
    an ``apiVersion`` (always written)."""
    from judges import EXTRA_KEY

    for container in (doc.get("spec") or {}).get("containers", []):
        container.pop(EXTRA_KEY, None)
    return {"apiVersion": "v1", **doc}
