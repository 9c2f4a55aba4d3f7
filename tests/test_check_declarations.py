"""Each check declares, beside its definition, the scope it needs and the codes it raises
(validate/checks/declare.py); the runners plan from those declarations, never from a check's
name, and hold each check to its word."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from conftest import load_script, write_tiny_package

from jiutai_data.model import codes
from jiutai_data.model.findings import Finding
from jiutai_data.validate import checks
from jiutai_data.validate.checks import BASE_CHECK, CORE_CHECKS, SEMANTIC_CHECKS, raised_by
from jiutai_data.validate.checks.declare import Scope, Undeclared, declaration_of, declares
from jiutai_data.validate.guard import run_check
from jiutai_data.validate.run import validate_package

EVERY_CHECK = [*CORE_CHECKS, *SEMANTIC_CHECKS, BASE_CHECK]


@pytest.mark.parametrize("check", EVERY_CHECK, ids=lambda check: check.name)
def test_every_check_declares_a_scope_and_only_registered_codes(check):
    declaration = check.declaration
    assert isinstance(declaration.scope, Scope)
    assert declaration.raises <= codes.CODES.keys()


@pytest.mark.parametrize("check", EVERY_CHECK, ids=lambda check: check.name)
def test_every_code_a_check_declares_is_named_in_its_module(check):
    """A declared code that the check's module never names is a code declared but never raised."""
    source = inspect.getsource(inspect.getmodule(check.load()))
    constants = {value: name for name, value in vars(codes).items() if isinstance(value, str) and value in codes.CODES}
    missing = [code for code in check.declaration.raises if f"codes.{constants[code]}" not in source]
    assert missing == [], f"{check.name} declares {missing} but its module never raises them"


def test_a_declaration_refuses_an_unregistered_code():
    with pytest.raises(codes.UnknownCode):
        declares(Scope.ROW, "no-such-code")


def test_a_finding_whose_code_the_check_does_not_declare_is_kept_beside_an_internal_finding():
    @declares(Scope.ROW, codes.UNIT_KNOWN)
    def loose(frames):
        return [Finding("indicators", 2, "unit", codes.UNIT_KNOWN, "declared"),
                Finding("indicators", 3, "unit", codes.PERIOD_ORDER, "not declared")]

    found = run_check(loose, None, None)
    assert [f.check for f in found] == [codes.UNIT_KNOWN, codes.PERIOD_ORDER, codes.INTERNAL]
    assert "loose" in found[-1].message and repr(codes.PERIOD_ORDER) in found[-1].message


def test_a_check_without_a_declaration_is_reported_and_not_run():
    ran = []

    def undeclared(frames):
        ran.append(frames)
        return []

    with pytest.raises(Undeclared):
        declaration_of(undeclared)
    found = run_check(undeclared, None, "frames")
    assert ran == [] and [f.check for f in found] == [codes.INTERNAL]
    assert "undeclared" in found[0].message and "declares neither" in found[0].message


def test_the_documentation_of_a_code_names_the_checks_that_raise_it():
    from jiutai_data.publish.docs import checks_page

    page = checks_page(Path("."), [])
    for code, raising in raised_by().items():
        section = page.split(f"### `{code}`:", 1)[1].split("### ", 1)[0]
        for check in raising:
            assert f"`{check.name}`" in section


# --- the engine plans by scope, whatever a check is called ---------------------------


def _calls(scope: Scope, calls: list[set[str]]):
    @declares(scope)
    def renamed_on_purpose(frames):
        calls.append(set(frames.texts))
        return []

    return renamed_on_purpose


@pytest.fixture(scope="module")
def partitioned(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("declared") / "package"
    return load_script("synth").synthesise(200, out, sources=3, seed=2, layout="partitioned").out


def test_a_check_of_whole_sources_sees_every_source_text_in_the_partitioned_run(partitioned, monkeypatch):
    source_calls: list[set[str]] = []
    files_calls: list[set[str]] = []
    monkeypatch.setattr(checks, "SEMANTIC_CHECKS", [_calls(Scope.SOURCE, source_calls), _calls(Scope.FILES, files_calls)])
    report = validate_package(partitioned)
    assert not [f for f in report.findings if f.check == codes.INTERNAL]
    import polars as pl

    sources = set(pl.read_csv(partitioned / "data" / "sources.csv", infer_schema_length=0).get_column("id"))
    assert set().union(*source_calls) == sources  # every text, with its batch
    assert len(files_calls) == 1  # once, on the small tables, not once per batch


def test_a_table_wide_check_the_engine_cannot_serve_is_an_internal_finding_not_a_silent_skip(partitioned,
                                                                                                 monkeypatch):
    monkeypatch.setattr(checks, "SEMANTIC_CHECKS", [_calls(Scope.TABLE, [])])
    report = validate_package(partitioned)
    internal = [f for f in report.findings if f.check == codes.INTERNAL]
    assert len(internal) == 1 and "renamed_on_purpose" in internal[0].message


def test_the_engine_runs_each_scope_where_it_is_served_and_names_the_one_it_cannot(tmp_path, monkeypatch):
    """Held in memory, a package is one batch: a check of whole sources runs once with every text,
    one of the files once, one of each row on the small tables and on the batch, one across
    sources once per bucket of figures; a TABLE check without a way over the whole store is named."""
    root = write_tiny_package(tmp_path / "package")
    calls = {scope: [] for scope in Scope}
    monkeypatch.setattr(checks, "SEMANTIC_CHECKS", [_calls(scope, calls[scope]) for scope in Scope])
    report = validate_package(root)
    assert len(calls[Scope.SOURCE]) == 1 and calls[Scope.SOURCE][0]  # with the texts
    assert len(calls[Scope.FILES]) == 1 and len(calls[Scope.PACKAGE]) == 1
    assert len(calls[Scope.ROW]) == 2  # the small tables, then the batch
    assert calls[Scope.TABLE] == []
    internal = [f for f in report.findings if f.check == codes.INTERNAL]
    assert len(internal) == 1 and "renamed_on_purpose" in internal[0].message
