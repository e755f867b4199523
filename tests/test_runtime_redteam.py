"""The generated runtime on documents and values a red-team pass found mishandled: each test here failed
before the fix it checks (the runtime modules under ``generator/targets/python/runtime/``)."""

from __future__ import annotations

import io

import pytest
from aml_entities import DocumentError, load_job

JOB = "command: python train.py\nenvironment: azureml:env:1\n"


def problems(text: str) -> list[str]:
    """Each problem of loading ``text``, as it is printed."""
    with pytest.raises(DocumentError) as err:
        load_job(io.StringIO(text))
    return [str(p) for p in err.value.problems]


def test_a_nan_key_given_twice_is_a_key_given_twice_not_a_crash() -> None:
    # pyyaml makes every .nan one float object, which a dict finds by identity though nan != nan:
    # looking for the first place of the key by equality found none (StopIteration escaped)
    assert problems(f"{JOB}properties: {{.nan: a, .NaN: b}}\n") == [
        "<stream>:3:14: properties.nan: expected a string key, found the number nan",
        "<stream>:3:23: properties..NaN: expected each key once in a mapping"
        " (this one is the same key to Python as '.nan' at line 3, column 14), found it again",
    ]


def test_a_date_is_described_by_its_text_not_by_the_runtime_class_holding_it() -> None:
    # "found a value of type IsoDate": the name of the runtime's class, in a message about a document
    assert problems(f"{JOB}tags: {{a: 2001-01-01, b: 2001-12-14 21:59:43.10Z}}\n2002-02-02: x\n") == [
        "<stream>:3:11: tags.a: expected null or a string, found the date 2001-01-01",
        "<stream>:3:26: tags.b: expected null or a string, found the date and time 2001-12-14 21:59:43.10Z",
        "<stream>:4:1: 2002-02-02: expected a string key, found the date 2002-02-02",
    ]
