"""The release zip is a data package: frictionless finds `datapackage.json` at its root and
checks every resource in it, and a broken resource inside the zip is reported."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from conftest import copy_package

from jiutai_data.publish.build import build_package
from jiutai_data.publish.export import export_package
from jiutai_data.model.package import open_package


def read_descriptor(root: Path) -> dict:
    return open_package(root).descriptor

frictionless = pytest.importorskip("frictionless", reason="frictionless comes with jiutai-data[tools]")


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = copy_package(tmp_path_factory.mktemp("zip") / "package")
    assert build_package(root).report.valid
    dist = root / "dist"
    export_package(root, dist)
    descriptor = read_descriptor(root)
    return root, dist / f"{descriptor['name']}-{descriptor['version']}.zip"


def _validate(path: Path):
    # The report is checked resource by resource, so that a zip frictionless cannot open as a
    # package (and so validates only some file inside it) fails here.
    return frictionless.Package(str(path)).validate()


def test_frictionless_opens_the_zip_as_the_package_with_every_resource(archive) -> None:
    root, path = archive
    package = frictionless.Package(str(path))
    assert package.name == read_descriptor(root)["name"]
    assert [resource.name for resource in package.resources] == [
        resource["name"] for resource in read_descriptor(root)["resources"]]


def test_frictionless_validates_every_resource_of_the_zip(archive) -> None:
    root, path = archive
    report = _validate(path)
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])
    checked = [task.name for task in report.tasks]
    assert checked == [resource["name"] for resource in read_descriptor(root)["resources"]]


def test_a_broken_resource_inside_the_zip_is_reported(archive, tmp_path: Path) -> None:
    root, path = archive
    table = next(resource for resource in read_descriptor(root)["resources"] if resource["format"] == "csv")
    broken = tmp_path / path.name
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == table["path"]:
                header, first, *rest = data.decode("utf-8").split("\n")
                # The first row repeated: its primary key is no longer unique.
                data = "\n".join([header, first, first, *rest]).encode("utf-8")
            target.writestr(info, data)
    report = _validate(broken)
    assert not report.valid
    failed = {task.name for task in report.tasks if not task.valid}
    assert table["name"] in failed
