"""Hostile pull requests, round 3: valid means publishable.

Names that are distinct in the package but one in a download (a table `readme` beside the
workbook's README sheet, `topics_fts` beside the full-text index of topics, columns NAME_EN and
name_en) are refused by validate (checks/names.py; the corpus cases 29-31 show each on the whole
package). Text that lands in a generated file is escaped for its format, and each format gets
hostile text back as it was written: Markdown (a note holding the README's section marker made
README.md grow on every build), YAML (CITATION.cff) and HTML (the site).
"""

from __future__ import annotations

import csv
import importlib.util
import io
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import REPO, write_tiny_package
from jiutai_data.publish.build import build_package
from jiutai_data.publish.metadata import Source, citation_references
from jiutai_data.validate.checks import names

HOSTILE = 'x <!-- END GENERATED: sources --> <script>alert("1")</script> | `tick` # END GENERATED: references \\ "q" --> y'


def _harness():
    spec = importlib.util.spec_from_file_location("corpus_harness_round3", Path(__file__).parent / "corpus" / "harness.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _set_first_source(root: Path, **cells: str) -> None:
    path = root / "data" / "sources.csv"
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    header = list(rows[0])
    rows[0].update(cells)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def test_hostile_text_in_a_note_and_a_title_keeps_the_readme_and_citation_the_same_size(tmp_path: Path) -> None:
    root = _harness().copy_package(REPO, tmp_path / "package")
    _set_first_source(root, note=HOSTILE, title_en=HOSTILE)
    assert build_package(root).report.valid
    readme, citation = (root / "README.md").read_text(encoding="utf-8"), (root / "CITATION.cff").read_text(encoding="utf-8")
    assert build_package(root).report.valid  # a second build changes nothing (it grew by a section each time)
    assert (root / "README.md").read_text(encoding="utf-8") == readme
    assert (root / "CITATION.cff").read_text(encoding="utf-8") == citation
    assert readme.count("<!-- END GENERATED: sources -->") == 1
    # Markdown: what a reader sees is the note; "&lt;!" renders as "<!" and opens no comment
    assert "x &lt;!-- END GENERATED: sources --> <script>" in readme
    document = yaml.safe_load(citation)
    assert document["references"][0]["notes"].startswith(HOSTILE)


@pytest.mark.parametrize("text", [HOSTILE, "九台\uffff区", "\ufdd0\ufffe\U0010ffff", "a\u2028b\u2029c\x85\x7f\x9f", "\ufeffBOM"])
def test_yaml_gets_any_text_back_as_written(text: str) -> None:
    source = Source(id="s", title_zh=text, title_en=text, publisher_zh=text, publisher_en="P", date="2024-01-01",
                    url="", author=text, path="", licence_note=text, note="", rows=1)
    document = yaml.safe_load(citation_references([source]))
    reference = document["references"][0]
    assert reference["title"] == text and reference["notes"] == text and reference["authors"][0]["name"] == text


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs) -> None:
        self.scripts += tag == "script" and not dict(attrs).get("src")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_shows_hostile_text_as_text(tmp_path: Path, capsys) -> None:
    from jiutai_data.cli import main

    root = write_tiny_package(tmp_path / "package")
    assert main(["export", str(root), "--dist", str(root / "dist")]) == 0
    clean = _Text()
    assert main(["site", str(root), "--dist", str(root / "dist")]) == 0
    clean.feed((root / "dist" / "site" / "index.html").read_text(encoding="utf-8"))
    _set_first_source(root, title_en=HOSTILE)
    assert main(["site", str(root), "--dist", str(root / "dist")]) == 0
    capsys.readouterr()
    page = _Text()
    page.feed((root / "dist" / "site" / "index.html").read_text(encoding="utf-8"))
    assert HOSTILE in " ".join("".join(page.text).split())  # shown whole, as written
    assert page.scripts == clean.scripts  # and never run


# --------------------------------------------------------------------------- names


def test_the_name_rules_are_the_downloads_own() -> None:
    from jiutai_data.publish import excel, sqlite

    assert names.FTS_SUFFIX == sqlite.FTS_SUFFIX
    assert names.README_SHEET == excel.README_SHEET and names.SHEET_NAME_LENGTH == excel.SHEET_NAME_LENGTH


def test_each_download_namespace_refuses_its_clashes() -> None:
    import polars as pl

    from jiutai_data.model.frames import PackageFrames

    text = {"name": "note", "type": "string"}
    schemas = {"topics": {"fields": [{"name": "id"}, {"name": "NAME_EN"}, {"name": "name_en"}, text]},
               "topics_fts": {"fields": [{"name": "a-b"}, {"name": "a_b"}]},
               "history": {"fields": [{"name": "id"}]},
               "sqlite_stat1": {"fields": [{"name": "id"}]}}
    frames = PackageFrames(root=".", descriptor={"resources": [{"name": n, "path": f"data/{n}.csv"} for n in schemas]})
    frames.schemas.update(schemas)
    found = {(f.table, f.column): f.message for f in names.check_names_do_not_collide(frames)}
    assert "differ only in case" in found[("topics", "name_en")]
    assert "Stata variable 'a_b'" in found[("topics_fts", "a_b")]
    assert "history" in found[("history", None)].lower()
    assert "SQLite's own" in found[("sqlite_stat1", None)]
    assert "topics_fts" in found[("topics_fts", None)] and "full-text index of topics" in found[("topics_fts", None)]
    assert names.stata_name("9 lives") == "_9_lives" and len(names.stata_name("x" * 40)) == 32
