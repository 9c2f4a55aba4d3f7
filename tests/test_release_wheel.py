"""`make dist` builds a wheel and an sdist that install as the README says: the recipe of the
Makefile runs into a temporary folder, the README's install line installs the wheel (offline, into
a folder of its own), and the installed command reports the version and finds the bundled data;
the sdist holds what a wheel is built from."""

from __future__ import annotations

import email
import glob
import os
import re
import shlex
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest

from conftest import REPO
from jiutai_data.model.package import open_package

pytest.importorskip("hatchling", reason="building the wheel offline needs hatchling (a dev dependency)")

VERSION = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def readme_install_lines() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Install the Python package\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the README's install section has no sh block"
    return [line.split("#", 1)[0].strip() for line in block.group(1).splitlines() if line.strip()]


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`make dist` without its `build` prerequisite (the committed twins are current: test_build_idempotent)."""
    out = tmp_path_factory.mktemp("dist")
    assert readme_install_lines()[0] == "make dist"
    subprocess.run(["make", "-s", "-o", "build", "-o", ".venv/.installed", "dist", f"DIST_DIR={out}",
                    f"BIN={Path(sys.executable).parent}"], cwd=REPO, check=True, capture_output=True)
    return out


def test_make_dist_writes_one_wheel_and_one_sdist_of_this_version(dist: Path) -> None:
    assert sorted(path.name for path in dist.iterdir()) == [
        f"jiutai_data-{VERSION}-py3-none-any.whl", f"jiutai_data-{VERSION}.tar.gz"]


def test_the_wheel_carries_the_data_the_entry_point_and_the_readme(dist: Path) -> None:
    wheel = next(dist.glob("*.whl"))
    with zipfile.ZipFile(wheel) as opened:
        names = set(opened.namelist())
        info = f"jiutai_data-{VERSION}.dist-info"
        metadata = email.message_from_string(opened.read(f"{info}/METADATA").decode("utf-8"))
        entry_points = opened.read(f"{info}/entry_points.txt").decode("utf-8")
    assert metadata["Name"] == "jiutai-data" and metadata["Version"] == VERSION
    assert metadata.get_payload().startswith((REPO / "README.md").read_text(encoding="utf-8").splitlines()[0])
    assert "jiutai-data = jiutai_data.cli:main" in entry_points
    for table in open_package(REPO).tables:
        assert f"jiutai_data/package/{table.resource['path']}" in names
        assert f"jiutai_data/package/{table.twin['path']}" in names


def test_the_readme_install_line_installs_a_command_that_reports_the_version(dist: Path, tmp_path: Path) -> None:
    installs = [shlex.split(line) for line in readme_install_lines() if line.startswith("pip install ")]
    assert installs, "the README shows no pip install line"
    target = tmp_path / "site"
    for words in installs:
        # the README's words, with dist/ the folder make wrote, offline, into a folder of its own
        paths = [match for word in words[2:] for match in sorted(glob.glob(str(dist / word.removeprefix("dist/"))))]
        assert paths, words
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                        "--target", str(target), *paths], check=True, capture_output=True)
    version_line = next(line for line in readme_install_lines() if line.startswith("jiutai-data "))
    environment = {**os.environ, "PYTHONPATH": str(target)}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = (f"import sys; sys.argv = {shlex.split(version_line)!r}; import jiutai_data, jiutai_data.cli; "
              f"print(jiutai_data.__file__); jiutai_data.cli.main()")
    done = subprocess.run([sys.executable, "-c", script], cwd=elsewhere, env=environment,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    module, printed = done.stdout.splitlines()
    assert Path(module).is_relative_to(target), "the installed copy, not the clone's, must answer"
    assert printed == f"jiutai-data {VERSION}"
    assert (target / "bin" / "jiutai-data").is_file()


def test_the_sdist_holds_what_a_wheel_is_built_from(dist: Path) -> None:
    sdist = next(dist.glob("*.tar.gz"))
    with tarfile.open(sdist) as opened:
        names = {name.split("/", 1)[1] for name in opened.getnames() if "/" in name}
    package = open_package(REPO)
    required = {"pyproject.toml", "hatch_build.py", "README.md", "LICENSE", "LICENSE-DATA.md", "CITATION.cff",
                ".zenodo.json", "CHANGELOG.md", "datapackage.json", "src/jiutai_data/cli.py"}
    required |= {table.resource["path"] for table in package.tables}
    required |= {table.resource["schema"] for table in package.tables if isinstance(table.resource.get("schema"), str)}
    assert sorted(required - names) == []
