"""Hostile pull requests against the verbs that write: export, site, build and add-source.

Each test breaks a small copy of the package the way an attacker would, runs the verb
through the command line, and checks the refusal and its message, that no traceback
is printed, and that no file changed (the whole temporary folder is hashed before and
after, links by their target, so nothing outside the package was written either).
Validation's own refusals of the same inputs are the cases in tests/corpus/.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import stat
import zipfile
from pathlib import Path

import pytest

from conftest import TINY_SOURCE_ID, write_tiny_package
from jiutai_data.cli import main
from jiutai_data.model.files import OutputPathError, archive_entry, resolve_output
from jiutai_data.model.numbers import find_numbers
from jiutai_data.tools.add_source import add_source, uncovered_numbers

METADATA = dict(source_id="2024-01-15-fictional-example", title_zh="虚构示例", title_en="Fictional example",
                publisher_zh="虚构出版社", publisher_en="Fictional Press", published="2024-01-15T09:00:00+08:00")
TEXT = "【虚构示例】2023年,地区生产总值完成280.5亿元。\n"


def tree(folder: Path) -> dict[str, str]:
    """Every file and link under ``folder``, links by their target (never followed)."""
    found = {}
    for current, folders, files in os.walk(folder, followlinks=False):
        for name in folders + files:
            path = Path(current) / name
            relative = path.relative_to(folder).as_posix()
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                found[relative] = f"link to {os.readlink(path)}"
            elif stat.S_ISREG(mode):
                found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
            elif not stat.S_ISDIR(mode):
                found[relative] = "special file"
    return found


def edit_descriptor(root: Path, change) -> None:
    path = root / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    change(descriptor)
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def run(capsys, *arguments: str) -> tuple[int, str, str]:
    status = main([str(argument) for argument in arguments])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, out, err


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    return write_tiny_package(tmp_path / "work" / "package")


# --------------------------------------------------------------------------- names are not paths


def test_the_output_helper_refuses_every_path_that_leaves_its_folder(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "link").symlink_to(tmp_path)
    for relative in ["../x", "a/../../x", "/etc/passwd", "link/x", "", "a\\..\\x"]:
        with pytest.raises(OutputPathError):
            resolve_output(tmp_path / "out", relative)
    assert resolve_output(tmp_path / "out", "tables/x.html") == tmp_path / "out" / "tables" / "x.html"
    with pytest.raises(OutputPathError):
        archive_entry("pkg", "../x")
    with pytest.raises(OutputPathError):
        archive_entry("pkg", "data//x")
    assert archive_entry("pkg", "data/x.csv") == "pkg/data/x.csv"
    assert archive_entry("", "data/x.csv") == "data/x.csv"  # the zip's root
    with pytest.raises(OutputPathError):
        archive_entry("", "../x")
    with pytest.raises(OutputPathError):
        archive_entry("", "/etc/passwd")


def test_export_refuses_a_package_name_that_is_a_path_and_writes_nothing(tiny: Path, tmp_path: Path, capsys) -> None:
    edit_descriptor(tiny, lambda d: d.update(name="../../pwned"))
    before = tree(tmp_path)
    status, _, err = run(capsys, "export", tiny, "--dist", tiny / "dist")
    assert status == 1
    assert "../../pwned" in err and "^[a-z0-9._-]+$" in err
    assert tree(tmp_path) == before


def test_a_version_that_would_make_the_zip_name_a_path_is_refused(tiny: Path, tmp_path: Path, capsys) -> None:
    edit_descriptor(tiny, lambda d: d.update(version="1/../../../x"))
    before = tree(tmp_path)
    status, out, _ = run(capsys, "validate", tiny)
    assert status == 1 and "the package version '1/../../../x'" in out
    status, _, err = run(capsys, "export", tiny, "--dist", tiny / "dist")
    assert status == 1 and "refused" in err
    assert tree(tmp_path) == before


def test_site_refuses_a_table_name_that_is_a_path_and_writes_nothing(tiny: Path, tmp_path: Path, capsys) -> None:
    dist = tiny / "dist"
    assert run(capsys, "export", tiny, "--dist", dist)[0] == 0
    edit_descriptor(tiny, lambda d: next(r for r in d["resources"] if r["name"] == "omissions").update(name="../../../x"))
    before = tree(tmp_path)
    status, _, err = run(capsys, "site", tiny, "--dist", dist)
    assert status == 1
    assert "site: refused" in err and "../../../x" in err
    assert tree(tmp_path) == before


# --------------------------------------------------------------------------- only declared files are published


def test_the_zip_holds_only_declared_plain_files_under_plain_entries(tiny: Path, capsys) -> None:
    (tiny / "data" / "stray.txt").write_text("not declared\n", encoding="utf-8")  # a warning: not published
    assert run(capsys, "export", tiny, "--dist", tiny / "dist")[0] == 0
    descriptor = json.loads((tiny / "datapackage.json").read_text(encoding="utf-8"))
    folder = f"{descriptor['name']}-{descriptor['version']}"
    with zipfile.ZipFile(tiny / "dist" / f"{folder}.zip") as archive:
        names = archive.namelist()
    # At the zip's root (frictionless finds datapackage.json there), each a plain relative path.
    assert all(not name.startswith("/") and ".." not in name.split("/") and "//" not in name for name in names)
    declared = {"datapackage.json", "SHA256SUMS", f"data/sources/{TINY_SOURCE_ID}.txt",
                *(r["path"] for r in descriptor["resources"]), *(r["schema"] for r in descriptor["resources"])}
    assert set(names) == declared


def test_a_link_in_data_to_a_secret_stops_the_export_and_is_never_packed(tiny: Path, tmp_path: Path, capsys) -> None:
    from jiutai_data.publish.export import package_files

    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0:root:/root:/bin/sh\n", encoding="utf-8")
    (tiny / "data" / "notes.txt").symlink_to(secret)
    before = tree(tmp_path)
    status, _, err = run(capsys, "export", tiny, "--dist", tiny / "dist")
    assert status == 1 and "data/notes.txt is a symbolic link" in err
    assert tree(tmp_path) == before
    descriptor = json.loads((tiny / "datapackage.json").read_text(encoding="utf-8"))
    assert "data/notes.txt" not in package_files(tiny, descriptor)  # nor would the zip hold it


def test_a_declared_table_that_is_a_pipe_is_refused_without_hanging(tiny: Path, capsys) -> None:
    topics = tiny / "data" / "topics.csv"
    topics.unlink()
    os.mkfifo(topics)
    status, out, _ = run(capsys, "validate", tiny)
    assert status == 1
    assert "data/topics.csv is not a plain file" in out


def test_export_and_site_refuse_a_table_that_is_a_pipe_or_a_link_without_hanging(tiny: Path, capsys) -> None:
    dist = tiny / "dist"
    assert run(capsys, "export", tiny, "--dist", dist)[0] == 0
    topics = tiny / "data" / "topics.csv"
    moved = tiny / "data" / "moved" / "topics.csv"
    moved.parent.mkdir()
    topics.replace(moved)
    topics.symlink_to(moved)
    for verb in ("export", "site"):
        status, _, err = run(capsys, verb, tiny, "--dist", dist)
        assert status == 1 and "data/topics.csv is a symbolic link" in err, (verb, err)
    topics.unlink()
    os.mkfifo(topics)
    for verb in ("export", "site"):
        status, _, err = run(capsys, verb, tiny, "--dist", dist)
        assert status == 1 and "not a plain file" in err, (verb, err)


def test_a_pipe_in_data_is_an_error_and_is_not_opened(tiny: Path, capsys) -> None:
    os.mkfifo(tiny / "data" / "queue")
    status, out, _ = run(capsys, "validate", tiny)
    assert status == 1
    assert "data/queue is not a plain file" in out


# --------------------------------------------------------------------------- links


def _index_page(tiny: Path, capsys, url: str) -> str:
    # exported while valid; the site is written for an invalid package too (it says so)
    assert run(capsys, "export", tiny, "--dist", tiny / "dist")[0] == 0
    sources = tiny / "data" / "sources.csv"
    sources.write_text(sources.read_text(encoding="utf-8").replace("https://example.org/tiny", url), encoding="utf-8")
    assert run(capsys, "site", tiny, "--dist", tiny / "dist")[0] == 0
    return (tiny / "dist" / "site" / "index.html").read_text(encoding="utf-8")


def test_a_javascript_url_is_shown_as_text_never_as_a_link(tiny: Path, capsys) -> None:
    page = _index_page(tiny, capsys, "javascript:alert(1)")
    assert "javascript:alert(1)" in page  # shown, so a reader sees what the row says
    assert not re.search(r"href=\"\s*javascript:", page, re.IGNORECASE)


def test_a_web_url_is_a_link_that_opens_without_the_opener_or_referrer(tiny: Path, capsys) -> None:
    page = _index_page(tiny, capsys, "https://example.org/article")
    assert '<a href="https://example.org/article" rel="external noopener noreferrer">' in page


def test_export_refuses_a_foreign_key_into_columns_that_repeat_and_writes_nothing(tiny: Path, tmp_path: Path,
                                                                            capsys) -> None:
    schema = tiny / "schemas" / "regions.json"
    document = json.loads(schema.read_text(encoding="utf-8"))
    document["foreignKeys"][0]["reference"]["fields"] = "level"  # repeats: no key
    schema.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    before = tree(tmp_path)
    status, _, err = run(capsys, "export", tiny, "--dist", tiny / "dist")
    # refused by the validation export runs first; SQLite, which would crash on it, is never reached
    assert status == 1 and "export: refused: the package is not valid" in err and "foreign-key-target" in err
    assert tree(tmp_path) == before


def test_a_descriptor_link_with_another_scheme_is_refused(tiny: Path, capsys) -> None:
    edit_descriptor(tiny, lambda d: d["licenses"][0].update(path="javascript:alert(1)"))
    status, out, _ = run(capsys, "validate", tiny)
    assert status == 1
    assert "licenses[1].path is 'javascript:alert(1)'" in out


# --------------------------------------------------------------------------- add-source: bounded work


@pytest.fixture
def text_file(tmp_path: Path) -> Path:
    path = tmp_path / "outside" / "new.txt"
    path.parent.mkdir()
    path.write_text(TEXT, encoding="utf-8")
    return path


def _refused(tiny: Path, tmp_path: Path, capsys, file: Path, *options: str) -> str:
    before = tree(tmp_path)
    status, _, err = run(capsys, "add-source", tiny, file, "--id", METADATA["source_id"],
                         "--title", METADATA["title_zh"], "--title-en", METADATA["title_en"],
                         "--publisher", METADATA["publisher_zh"], "--publisher-en", METADATA["publisher_en"],
                         "--published", METADATA["published"], *options)
    assert status == 1, err
    assert "nothing was written" in err
    assert tree(tmp_path) == before
    return err


def test_add_source_refuses_a_symbolic_link_instead_of_copying_its_target(tiny, tmp_path, capsys, text_file) -> None:
    link = tmp_path / "outside" / "passwd.txt"
    link.symlink_to(text_file)
    assert "is a symbolic link" in _refused(tiny, tmp_path, capsys, link)


def test_add_source_refuses_a_pipe_without_waiting_for_it(tiny, tmp_path, capsys) -> None:
    pipe = tmp_path / "outside-pipe"
    os.mkfifo(pipe)
    assert "is not a plain file" in _refused(tiny, tmp_path, capsys, pipe)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_add_source_refuses_dev_zero_without_reading_it(tiny, tmp_path, capsys) -> None:
    assert "is not a plain file" in _refused(tiny, tmp_path, capsys, Path("/dev/zero"))


def test_add_source_refuses_a_text_over_the_limit_and_says_how_to_raise_it(tiny, tmp_path, capsys, text_file) -> None:
    err = _refused(tiny, tmp_path, capsys, text_file, "--max-bytes", "16")
    assert f"has {text_file.stat().st_size} bytes, more than the limit of 16" in err
    assert "--max-bytes" in err


def test_add_source_accepts_a_text_at_the_limit(tiny: Path, text_file: Path) -> None:
    result = add_source(tiny, text_file, max_bytes=text_file.stat().st_size, **METADATA)
    assert result.ok, result.describe()


def test_a_schema_pattern_is_matched_in_linear_time(tiny, tmp_path, capsys, text_file) -> None:
    # (a+)+b on "aaa…a" takes Python's backtracking re about 2**40 steps; the linear engine, none.
    schema = tiny / "schemas" / "sources.json"
    document = json.loads(schema.read_text(encoding="utf-8"))
    next(f for f in document["fields"] if f["name"] == "id")["constraints"]["pattern"] = "(a+)+b"
    schema.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    result = add_source(tiny, text_file, **{**METADATA, "source_id": "a" * 40})
    assert not result.ok
    assert any(f.check == "pattern" and f.column == "id" for f in result.findings)


def _uncovered_by_definition(text: str, quotes: list[str]) -> list[tuple[int, int, str]]:
    """The definition, the slow way: every occurrence of every quote, every number."""
    spans = [(m.start(), m.start() + len(q)) for q in set(quotes) if q
             for m in re.finditer(f"(?={re.escape(q)})", text)]
    found = []
    for number in find_numbers(text):
        if not any(start <= number.start and number.end <= end for start, end in spans):
            line = text.count("\n", 0, number.start) + 1
            column = number.start - (text.rfind("\n", 0, number.start) + 1) + 1
            found.append((line, column, number.text))
    return found


def test_the_linear_coverage_report_finds_exactly_what_the_definition_finds() -> None:
    generator = random.Random(12)
    alphabet = ["1", "2", "3", ".", "亿", "元", "\n", "增长", "%", "5", "年"]
    for _ in range(300):
        text = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 60)))
        quotes = [text[a:a + generator.randint(1, 12)] for a in
                  (generator.randint(0, max(len(text) - 1, 0)) for _ in range(generator.randint(0, 4)))]
        found = [(u.line, u.column, u.text) for u in uncovered_numbers(text, quotes)]
        assert found == _uncovered_by_definition(text, quotes), (text, quotes)


# --------------------------------------------------------------------------- descriptor and build


def test_export_refuses_a_deeply_nested_descriptor_without_a_traceback(tiny: Path, tmp_path: Path, capsys) -> None:
    descriptor = (tiny / "datapackage.json").read_text(encoding="utf-8").rstrip()
    (tiny / "datapackage.json").write_text(descriptor[:-1] + ', "x": ' + "[" * 10000 + "]" * 10000 + "}\n",
                                           encoding="utf-8")
    before = tree(tmp_path)
    # like a descriptor that is not JSON, there is nothing to validate or export: exit 2 from both
    status, _, err = run(capsys, "export", tiny, "--dist", tiny / "dist")
    assert status == 2 and "more than 64 levels" in err
    status, out, _ = run(capsys, "validate", tiny)
    assert status == 2 and "descriptor-nesting" in out
    assert tree(tmp_path) == before


def test_build_removes_its_own_leftover_temporary_files_and_no_other(tiny: Path, capsys) -> None:
    own = tiny / ".datapackage.json.k3j9x_2a.tmp"
    other = tiny / "data" / ".notes.txt.k3j9x_2a.tmp"
    own.write_bytes(b"{half a descriptor")
    other.write_bytes(b"someone else's")
    status, out, _ = run(capsys, "build", tiny)
    assert status == 0, out
    assert not own.exists() and other.exists()
    assert "removed the leftover temporary file .datapackage.json.k3j9x_2a.tmp" in out


def test_sqlite_refuses_a_foreign_key_it_cannot_load_with_a_message_not_a_crash(tiny: Path, tmp_path: Path) -> None:
    # Validation refuses such a key first (foreign-key-target); the database writer still
    # turns SQLite's "foreign key mismatch" into a refusal rather than a traceback.
    from jiutai_data.publish.export import typed_tables
    from jiutai_data.publish.sqlite import SqliteExportError, write_sqlite
    from jiutai_data.validate.run import check_package

    typed = typed_tables(check_package(tiny))
    regions = next(table for table, _ in typed if table.name == "regions")
    regions.schema["foreignKeys"][0]["reference"]["fields"] = "level"
    with pytest.raises(SqliteExportError, match="regions: SQLite cannot load the table .*foreign key mismatch"):
        write_sqlite(tmp_path / "x.sqlite", typed)
    assert not list(tmp_path.glob("*x.sqlite*"))  # nor its temporary file
