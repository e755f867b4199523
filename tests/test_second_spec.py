"""A second, unrelated spec generates a package that imports and works: the generator knows no Azure."""

from __future__ import annotations

import io
import re
from pathlib import Path
from types import ModuleType

import pytest
from conftest import ROOT


def test_generator_and_templates_know_nothing_of_azure() -> None:
    for folder in ("generator", "templates"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in (".py", ".j2", ".json"):
                text = path.read_text(encoding="utf-8")
                assert not re.search(r"azure|azureml|CommandJob|aml_entities", text, re.I), path


def test_library_package_works(library: ModuleType) -> None:
    names = set(library.__all__)
    assert {"Loan", "Book", "Magazine", "Member", "LoanStatus", "load_loan", "DocumentError"} <= names
    item_cls = library.Item
    with pytest.raises(TypeError):
        item_cls()
    book_fields = {f for f in library.Book.__dataclass_fields__}
    assert "tags" in book_fields  # from the Taggable mixin


def test_library_round_trip_and_errors(library: ModuleType, tmp_path: Path) -> None:
    loan = library.Loan.from_dict(_a_loan(library))
    again = library.Loan.from_dict(loan.to_dict())
    assert again == loan
    stream = io.StringIO()
    loan.dump(stream)
    assert library.load_loan(io.StringIO(stream.getvalue())) == loan
    with pytest.raises(library.DocumentError) as err:
        library.Loan.from_dict({**loan.to_dict(), "bogus": 1})
    assert err.value.problems[0].path == ("bogus",)


def _a_loan(library: ModuleType) -> dict[str, object]:
    return {
        "item": {"kind": "book", "title": "Dune", "isbn": "978-0441013593", "tags": ["sci-fi"], "shelf-mark": "F-12"},
        "member": {"name": "Ada", "loans": [{"item": {"kind": "magazine", "title": "Byte", "issue": 8}}]},
        "status": "on_loan" if "on_loan" in {m.value for m in library.LoanStatus} else next(iter(library.LoanStatus)).value,
        "renewals": 2,
        "loaned-at": "2025-01-01",
    }


def test_library_examples_run(library: ModuleType) -> None:
    from generator.pipeline import build_package

    package = build_package(ROOT / "tests" / "specs" / "library" / "library.yaml")
    examples = [ex for cls in package.classes for ex in cls.examples]
    assert examples
    for ex in examples:
        namespace: dict[str, object] = {name: getattr(library, name) for name in library.__all__}
        exec(compile(ex.code, "<example>", "exec"), namespace)


def test_library_polymorphism_and_read_only(library: ModuleType) -> None:
    loan = library.Loan.from_dict(_a_loan(library))
    assert type(loan.item) is library.Book and loan.item.kind == "book"
    assert loan.loaned_at == "2025-01-01"
    with pytest.raises(AttributeError):
        loan.loaned_at = "x"
    assert loan.to_dict()["loaned-at"] == "2025-01-01"
