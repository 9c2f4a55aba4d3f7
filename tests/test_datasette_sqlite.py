"""The SQLite download Datasette serves. The short label a foreign key shows: computed by SQLite
(a generated column of each table that keys point to, so the download holds no second copy of
any text), cut by the same rule as its Python twin, and not a column of the Table Schema's view
of the table. A refusal counts the rows it refuses, in words."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pyarrow as pa
import pytest
from conftest import PACKAGE

from jiutai_data.model.package import open_package
from jiutai_data.model.roles import label_field
from jiutai_data.publish.sqlite import (ELLIPSIS, LABEL_CHARACTERS, create_table_sql, lookup_tables, shortened,
                                        shortened_sql, short_label_column)

TEXTS = [
    "",
    "九台区",
    "x" * LABEL_CHARACTERS,
    "x" * (LABEL_CHARACTERS + 1),
    "奋楫争先勇毅笃行 稳中寻机力开新局—— 长春市九台区奋力谱写高质量发展新篇章",
    "flat things such as beds, cards or licences (measure word 张)",
    "a" * (LABEL_CHARACTERS - 3) + " —— b" + "c" * 10,  # the cut falls on separators, which are dropped
    "😀" * (LABEL_CHARACTERS + 5),  # characters outside the BMP count as one, in Python and SQLite alike
]


@pytest.mark.parametrize("text", TEXTS)
def test_sqlite_cuts_a_label_as_python_does(text: str) -> None:
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE t (name TEXT)")
    connection.execute("INSERT INTO t VALUES (?)", (text,))
    (cut,) = connection.execute(f"SELECT {shortened_sql('name')} FROM t").fetchone()
    assert cut == shortened(text)
    assert len(cut) <= LABEL_CHARACTERS
    if len(text) <= LABEL_CHARACTERS:
        assert cut == text
    else:
        assert cut.endswith(ELLIPSIS) and text.startswith(cut.removesuffix(ELLIPSIS))


@pytest.mark.data  # reads the package under test (conftest.PACKAGE)
def test_each_table_keys_point_to_has_a_generated_label_outside_its_schema_columns() -> None:
    tables = open_package(PACKAGE).tables
    lookups = lookup_tables(tables)
    assert lookups, "no foreign key in the package: nothing here is tested"
    connection = sqlite3.connect(":memory:")
    for table in tables:
        connection.execute(create_table_sql(table, short_label_column(table, lookups)))
    for table in tables:
        names = [field["name"] for field in table.schema["fields"]]
        # table_info lists the columns a reader of the Table Schema expects; the generated one is extra
        assert [row[1] for row in connection.execute(f'PRAGMA table_info("{table.name}")')] == names
        extra = [row[1] for row in connection.execute(f'PRAGMA table_xinfo("{table.name}")')][len(names):]
        column = short_label_column(table, lookups)
        if table.name in lookups and label_field(table.schema) is not None:
            assert extra == [column] and column not in names, table.name
        else:
            assert extra == [], table.name


@pytest.mark.parametrize(("dangling", "counted"), [(1, "1 such row"), (2, "2 such rows")])
def test_a_parent_that_is_missing_is_refused_with_the_rows_counted(tiny_package: Path, tmp_path: Path,
                                                                     dangling: int, counted: str) -> None:
    # A key to the table itself (regions.parent_id) is checked at commit, all rows at once.
    from jiutai_data.publish.export import typed_tables
    from jiutai_data.publish.sqlite import SqliteExportError, write_sqlite
    from jiutai_data.validate.run import check_package

    typed = typed_tables(check_package(tiny_package))
    index, (regions, data) = next((i, pair) for i, pair in enumerate(typed) if pair[0].name == "regions")
    key = next(key for key in regions.schema["foreignKeys"] if key["reference"]["resource"] in ("", None, "regions"))
    column = key["fields"] if isinstance(key["fields"], str) else key["fields"][0]
    rows = data.to_pylist()
    for number in range(dangling):
        rows.append({**rows[0], "id": f"test-orphan-{number}", "code": None, column: "test-no-such-region"})
    typed[index] = (regions, pa.Table.from_pylist(rows, schema=data.schema))
    with pytest.raises(SqliteExportError, match=f"refers to a missing row of regions \\({counted}\\)"):
        write_sqlite(tmp_path / "x.sqlite", typed)


@pytest.mark.data  # reads the package under test (conftest.PACKAGE)
def test_the_folded_description_escapes_contributed_text() -> None:
    # Datasette renders description_html as it is: a title or description holding markup must
    # show as text, never run
    import copy

    from jiutai_data.publish.sqlite import datasette_metadata

    package = open_package(PACKAGE)
    descriptor = copy.deepcopy(package.descriptor)
    descriptor["sources"] = [{"title": "<script>alert(1)</script>: a title", "path": "javascript:alert(1)"}]
    metadata = datasette_metadata(descriptor, package.tables, "db")
    for entry in metadata["databases"]["db"]["tables"].values():
        described = entry.get("description_html", "")
        assert "<script>" not in described
        assert 'href="javascript:' not in described  # only a web address becomes a link
    assert "&lt;script&gt;alert(1)&lt;/script&gt;: a title" in metadata["databases"]["db"]["description_html"]
