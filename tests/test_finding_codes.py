"""Every finding code of the registry (model/codes.py) is triggered by a test, for every verb
that the registry says reports it, and the README documents exactly the registered codes.

TRIGGERS maps (code, verb) to a minimal mutation of a copy of a package. A code declared
without a trigger fails `test_every_registered_code_has_a_trigger`; a trigger that no longer
produces its code fails `test_each_mutation_triggers_its_code`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import REPO, TINY_SOURCE_ID, copy_package, load_script, write_tiny_package

from jiutai_data.model import codes

VALIDATE, BUILD, ADD_SOURCE = codes.VALIDATE, codes.BUILD, codes.ADD_SOURCE
TINY, COMMITTED, PARTITIONED = "tiny", "committed", "partitioned"


# --------------------------------------------------------------------------- mutations


def _rows(root: Path, table: str) -> tuple[list[str], list[dict[str, str]]]:
    with (root / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        return list(reader.fieldnames or []), list(reader)


def _write_rows(root: Path, table: str, header: list[str], rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[row.get(name, "") for name in header] for row in rows])
    (root / "data" / f"{table}.csv").write_text(buffer.getvalue(), encoding="utf-8")


def set_cells(table: str, index: int = 0, **cells: str) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        header, rows = _rows(root, table)
        rows[index].update(cells)
        _write_rows(root, table, header, rows)
    return mutate


def set_where(table: str, condition: Callable[[dict[str, str]], bool], **cells: str) -> Callable[[Path], None]:
    """Set cells of the first row that meets ``condition`` (for the committed data, which keeps changing)."""
    def mutate(root: Path) -> None:
        header, rows = _rows(root, table)
        next(row for row in rows if condition(row)).update(cells)
        _write_rows(root, table, header, rows)
    return mutate


def append_copy(table: str, index: int = 0, **cells: str) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        header, rows = _rows(root, table)
        rows.append({**rows[index], **cells})
        _write_rows(root, table, header, rows)
    return mutate


def header(table: str, edit: Callable[[list[str]], list[str]]) -> Callable[[Path], None]:
    """Rewrite the header row (and each row with it, by the same edit of its cells)."""
    def mutate(root: Path) -> None:
        path = root / "data" / f"{table}.csv"
        records = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows([edit(record) for record in records])
        path.write_text(buffer.getvalue(), encoding="utf-8")
    return mutate


def raw(table: str, edit: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        path = root / "data" / f"{table}.csv"
        path.write_bytes(edit(path.read_bytes()))
    return mutate


def descriptor(edit: Callable[[dict[str, Any]], None]) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        path = root / "datapackage.json"
        document = json.loads(path.read_text(encoding="utf-8"))
        edit(document)
        path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return mutate


def resource(name: str, **properties: Any) -> Callable[[Path], None]:
    def edit(document: dict[str, Any]) -> None:
        next(r for r in document["resources"] if r["name"] == name).update(properties)
    return descriptor(edit)


def field_constraint(table: str, field: str, **constraints: Any) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        path = root / "schemas" / f"{table}.json"
        schema = json.loads(path.read_text(encoding="utf-8"))
        spec = next(f for f in schema["fields"] if f["name"] == field)
        spec.setdefault("constraints", {}).update(constraints)
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2), encoding="utf-8")
    return mutate


def field_type(table: str, field: str, kind: str) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        path = root / "schemas" / f"{table}.json"
        schema = json.loads(path.read_text(encoding="utf-8"))
        next(f for f in schema["fields"] if f["name"] == field)["type"] = kind
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2), encoding="utf-8")
    return mutate


def source_text(edit: Callable[[str], str], rehash: bool = True) -> Callable[[Path], None]:
    """Edit the tiny package's source text, keeping its sha256 in sources.csv unless told not to."""
    def mutate(root: Path) -> None:
        path = root / "data" / "sources" / f"{TINY_SOURCE_ID}.txt"
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
        if rehash:
            set_cells("sources", sha256=hashlib.sha256(path.read_bytes()).hexdigest())(root)
    return mutate


def twin(table: str, edit: Callable[[pa.Table], pa.Table]) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        path = root / "data" / f"{table}.parquet"
        pq.write_table(edit(pq.read_table(path)), path)
    return mutate


def both(*mutations: Callable[[Path], None]) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        for mutation in mutations:
            mutation(root)
    return mutate


def corpus_case(name: str) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        from corpus.harness import apply_case, load_cases

        apply_case(next(case for case in load_cases() if case.name == name), root)
    return mutate


def full_width_unit(factor: str) -> Callable[[Path], None]:
    """A full-width ％ in units, converting with ``factor`` where the ASCII % converts with 1."""
    def mutate(root: Path) -> None:
        header, rows = _rows(root, "units")
        narrow = next(row for row in rows if row["unit_as_stated"] == "%")
        rows.append({**narrow, "unit_as_stated": "％", "factor": factor, "name_en": "percent (full-width)"})
        _write_rows(root, "units", header, rows)
    return mutate


def unit_row(unit_as_stated: str, unit: str, factor: str, name_en: str) -> Callable[[Path], None]:
    """A new row of units, used by no value: only the checks of the units table itself can object to it."""
    def mutate(root: Path) -> None:
        header, rows = _rows(root, "units")
        rows.append({"unit_as_stated": unit_as_stated, "unit": unit, "factor": factor, "name_en": name_en})
        _write_rows(root, "units", header, rows)
    return mutate


def acknowledge(code: str) -> Callable[[Path], None]:
    """An acknowledgement of ``code`` for the first indicator, which has no such warning."""
    def mutate(root: Path) -> None:
        row_id = _rows(root, "indicators")[1][0]["id"]
        header, rows = _rows(root, "acknowledgements")
        rows.append({"finding_code": code, "table_name": "indicators", "row_id": row_id,
                     "reason": "Checked against the source.", "reviewed_by": "a reviewer",
                     "reviewed_on": "2024-02-02"})
        _write_rows(root, "acknowledgements", header, rows)
    return mutate


def drop_partition_keys(root: Path) -> None:
    """A partitioned resource (scripts/synth.py --layout partitioned) without its partition keys."""
    path = root / "datapackage.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    entry = next(entry for entry in document["resources"] if isinstance(entry.get("path"), list))
    entry["partitioning"].pop("keys", None)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")


def committed(root: Path) -> None:
    """Make the package folder a git repository with the package committed (for `validate --base HEAD`)."""
    import subprocess

    for args in (["init", "--quiet"], ["add", "-A"], ["commit", "--quiet", "-m", "base"]):
        subprocess.run(["git", "-C", str(root), "-c", "user.name=Test", "-c", "user.email=test@example.invalid",
                        "-c", "commit.gpgsign=false", *args], check=True, capture_output=True)


def drop_row(table: str, index: int = 0) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        header, rows = _rows(root, table)
        _write_rows(root, table, header, rows[:index] + rows[index + 1:])
    return mutate


def stray_part_file(root: Path) -> None:
    """A copy of a listed part file, beside it in its partition folder, that the descriptor does not list."""
    import shutil

    document = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    part = next(entry for entry in document["resources"] if isinstance(entry.get("path"), list))["path"][0]
    shutil.copy2(root / part, (root / part).with_name("stray.parquet"))


def part_of_many_copies(root: Path) -> None:
    """The first part file replaced by 60,000 copies of its first row: a few KB that decode to megabytes."""
    import pyarrow.parquet as pq

    document = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    part = root / next(entry for entry in document["resources"] if isinstance(entry.get("path"), list))["path"][0]
    table = pq.read_table(part)
    pq.write_table(table.slice(0, 1).take([0] * 60_000), part, compression="zstd")


def reviewed_on(day: str) -> Callable[[Path], None]:
    """An acknowledgement of a warning the first indicator does not have, reviewed on ``day``."""
    def mutate(root: Path) -> None:
        acknowledge(codes.REVISION)(root)
        header, rows = _rows(root, "acknowledgements")
        rows[-1]["reviewed_on"] = day
        _write_rows(root, "acknowledgements", header, rows)
    return mutate


def _gbk(data: bytes) -> bytes:
    return data.decode("utf-8").encode("gbk")


# --------------------------------------------------------------------------- add-source


SOURCE_TEXT = "虚构示例(测试用):全区新增项目7个。\n"
ADD_SOURCE_ARGUMENTS = dict(source_id="2023-01-05-fictional-test-source", title_zh="虚构示例(测试用)",
                            title_en="FICTIONAL EXAMPLE (test data)", publisher_zh="虚构出版者",
                            publisher_en="Fictional publisher", published="2023-01-05T09:00:00+08:00",
                            url="", author="")


def extend_tiny(text: str, **tables: list[dict[str, str]]) -> Callable[[Path], None]:
    """Append ``text`` to the tiny source (rehashed) and rows to tables; an indicators row
    starts as a copy of the tiny package's first row, so it names only what differs."""
    def mutate(root: Path) -> None:
        source_text(lambda old: old + text)(root)
        for table, rows in tables.items():
            header, existing = _rows(root, table)
            base = existing[0] if table == "indicators" else {}
            _write_rows(root, table, header, existing + [{**base, **row} for row in rows])
    return mutate


def _figure(slug: str, quote: str, stated: str, unit_as_stated: str, value: str, unit: str, **cells: str) -> dict[str, str]:
    return {"id": f"{TINY_SOURCE_ID}--jiutai-2022-q1-q3-{slug}", "quote": quote, "value_as_stated": stated,
            "unit_as_stated": unit_as_stated, "value": value, "unit": unit, **cells}


_PARTS = [{"code": code, "name_zh": zh, "name_en": en, "topic": "economy", "unit": "亿元", "kind": "flow",
           "part_of": "gross_regional_product", "definition": "Value added of one industry."}
          for code, zh, en in (("primary_industry_value_added", "第一产业增加值", "Primary industry value added"),
                               ("secondary_industry_value_added", "第二产业增加值", "Secondary industry value added"),
                               ("tertiary_industry_value_added", "第三产业增加值", "Tertiary industry value added"))]
_RATIO = {"unit_as_stated": ":", "unit": "percent", "factor": "1", "name_en": "part of a ratio a:b:c"}
_POINTS = [{"unit_as_stated": "个", "unit": "count", "factor": "1", "name_en": "items"},
           {"unit_as_stated": "个百分点", "unit": "percentage_point", "factor": "1", "name_en": "percentage points"}]


def _grp_parts_add_up(root: Path) -> None:
    header, rows = _rows(root, "catalogue")
    rows[0]["parts_add_up"] = "true"
    _write_rows(root, "catalogue", header, rows)


@dataclass(frozen=True)
class Trigger:
    mutate: Callable[[Path], None] = lambda root: None
    package: str = TINY
    arguments: dict[str, Any] | None = None  # add-source: arguments to override; validate: e.g. base
    text: bytes | None = None  # add-source: the source file's bytes (a folder if b"/")
    patch: Callable[[pytest.MonkeyPatch], None] | None = None  # for codes no package can cause: a bug


def text_file(root: Path, trigger: Trigger) -> Path:
    """The source file given to add-source: a folder for b"/", a link for b"->", a pipe for b"|"."""
    path = root.parent / "new-source.txt"
    if trigger.text == b"/":
        path.mkdir()
    elif trigger.text == b"->":
        (root.parent / "real.txt").write_text(SOURCE_TEXT, encoding="utf-8")
        path.symlink_to(root.parent / "real.txt")
    elif trigger.text == b"|":
        os.mkfifo(path)
    else:
        path.write_bytes(SOURCE_TEXT.encode("utf-8") if trigger.text is None else trigger.text)
    return path


def add(text: bytes | None = None, mutate: Callable[[Path], None] = lambda root: None, **arguments: Any) -> Trigger:
    return Trigger(mutate=mutate, arguments=arguments, text=text)


# --------------------------------------------------------------------------- the table


def _crash(monkeypatch: pytest.MonkeyPatch) -> None:
    """No package is bad enough to crash a check, so one check is made to crash."""
    from jiutai_data.validate import checks
    from jiutai_data.validate.checks.declare import Scope, declares

    @declares(Scope.ROW)
    def broken(frames):
        raise RuntimeError("a bug in a check")

    monkeypatch.setattr(checks, "SEMANTIC_CHECKS", [broken, *checks.SEMANTIC_CHECKS])


def _break_conversion(monkeypatch: pytest.MonkeyPatch) -> None:
    """What validate accepts, build converts; so the conversion is made to fail, as a bug would."""
    from jiutai_data.publish import build
    from jiutai_data.read.arrow import ConversionError

    def broken(frame, schema):
        raise ConversionError("a bug in the conversion")

    monkeypatch.setattr(build, "frame_to_arrow", broken)


TRIGGERS: dict[tuple[str, str], Trigger] = {
    # package and files
    (codes.PACKAGE, VALIDATE): Trigger(lambda root: (root / "datapackage.json").unlink()),
    (codes.DESCRIPTOR, VALIDATE): Trigger(lambda root: (root / "datapackage.json").write_text("{", encoding="utf-8")),
    (codes.SCHEMA, VALIDATE): Trigger(field_type("topics", "description", "geopoint")),
    (codes.RESOURCE_FORMAT, VALIDATE): Trigger(resource("topics", format="tsv")),
    (codes.DESCRIPTOR_NESTING, VALIDATE): Trigger(corpus_case("24-deeply-nested-descriptor"), COMMITTED),
    (codes.NO_RESOURCES, VALIDATE): Trigger(corpus_case("19-no-resources"), COMMITTED),
    (codes.NAME, VALIDATE): Trigger(corpus_case("14-resource-name-is-a-path"), COMMITTED),
    (codes.URL, VALIDATE): Trigger(descriptor(lambda document: document.update(homepage="javascript:alert(1)"))),
    (codes.SYMLINK, VALIDATE): Trigger(corpus_case("15-symlink-in-data-to-a-secret"), COMMITTED),
    (codes.NOT_A_FILE, VALIDATE): Trigger(lambda root: ((root / "data" / "topics.csv").unlink(),
                                                        os.mkfifo(root / "data" / "topics.csv"))),
    (codes.DIALECT, VALIDATE): Trigger(resource("topics", dialect={"delimiter": ";"})),
    (codes.RESOURCE_PATH, VALIDATE): Trigger(resource("topics", path="../topics.csv")),
    (codes.PARTITION, VALIDATE): Trigger(drop_partition_keys, PARTITIONED),
    (codes.SOURCE_PATH, VALIDATE): Trigger(set_cells("sources", path="../outside.txt")),
    (codes.FILE_MISSING, VALIDATE): Trigger(lambda root: (root / "data" / "topics.csv").unlink()),
    (codes.FILE_UNREADABLE, VALIDATE): Trigger(lambda root: ((root / "data" / "topics.csv").unlink(),
                                                             (root / "data" / "topics.csv").mkdir())),
    # encoding and layout
    (codes.ENCODING, VALIDATE): Trigger(raw("regions", _gbk)),
    (codes.BOM, VALIDATE): Trigger(raw("topics", lambda data: b"\xef\xbb\xbf" + data)),
    (codes.LINE_ENDINGS, VALIDATE): Trigger(raw("topics", lambda data: data.replace(b"\n", b"\r\n"))),
    (codes.EMPTY_FILE, VALIDATE): Trigger(raw("topics", lambda data: b"")),
    (codes.BLANK_ROW, VALIDATE): Trigger(raw("units", lambda data: data.replace(b"\n", b"\n\n", 2))),
    (codes.MISSING_CELL, VALIDATE): Trigger(raw("topics", lambda data: data + b"alone\n")),
    (codes.EXTRA_CELL, VALIDATE): Trigger(raw("topics", lambda data: data + b"a,b,c,d,e,f\n")),
    (codes.UNTERMINATED_QUOTE, VALIDATE): Trigger(raw("topics", lambda data: data + b'x,"never closed\n')),
    # header
    (codes.HEADER, VALIDATE): Trigger(header("topics", lambda record: ["a", "b", "c", "d"][:len(record)])),
    (codes.MISSING_COLUMN, VALIDATE): Trigger(header("topics", lambda record: record[:-1])),
    (codes.EXTRA_COLUMN, VALIDATE): Trigger(header("topics", lambda record: [*record, "x"])),
    (codes.DUPLICATE_COLUMN, VALIDATE): Trigger(header("topics", lambda record: [*record, record[-1]])),
    (codes.COLUMN_ORDER, VALIDATE): Trigger(header("topics", lambda record: [record[1], record[0], *record[2:]])),
    # types and constraints
    (codes.TYPE, VALIDATE): Trigger(set_cells("indicators", value="abc")),
    (codes.CELL_SIZE, VALIDATE): Trigger(set_cells("topics", description="长" * 40_000)),
    (codes.REQUIRED, VALIDATE): Trigger(set_cells("topics", name_en="")),
    (codes.UNIQUE, VALIDATE): Trigger(append_copy("regions", id="other-place")),
    (codes.ENUM, VALIDATE): Trigger(set_cells("regions", level="planet")),
    (codes.PATTERN, VALIDATE): Trigger(set_cells("regions", code="12")),
    (codes.FORMAT, VALIDATE): Trigger(set_cells("sources", url="not a url")),
    (codes.MINIMUM, VALIDATE): Trigger(field_constraint("indicators", "value", minimum=1e15)),
    (codes.MAXIMUM, VALIDATE): Trigger(field_constraint("indicators", "value", maximum=1)),
    (codes.EXCLUSIVE_MINIMUM, VALIDATE): Trigger(field_constraint("indicators", "value", exclusiveMinimum=1e15)),
    (codes.EXCLUSIVE_MAXIMUM, VALIDATE): Trigger(field_constraint("indicators", "value", exclusiveMaximum=1)),
    (codes.MIN_LENGTH, VALIDATE): Trigger(field_constraint("topics", "description", minLength=1000)),
    (codes.MAX_LENGTH, VALIDATE): Trigger(field_constraint("topics", "description", maxLength=2)),
    (codes.FOREIGN_KEY_TARGET, VALIDATE): Trigger(corpus_case("20-foreign-key-to-a-column-that-repeats"), COMMITTED),
    (codes.HIERARCHY_CYCLE, VALIDATE): Trigger(corpus_case("21-region-that-is-its-own-ancestor"), COMMITTED),
    (codes.PRIMARY_KEY, VALIDATE): Trigger(append_copy("indicators")),
    (codes.FOREIGN_KEY, VALIDATE): Trigger(set_cells("indicators", region_id="nowhere")),
    # text hygiene
    (codes.NOT_NFC, VALIDATE): Trigger(set_cells("topics", description="Cafe\u0301 economy.")),
    (codes.WHITESPACE, VALIDATE): Trigger(set_cells("topics", name_en=" Economy")),
    (codes.CONTROL_CHARACTER, VALIDATE): Trigger(set_cells("topics", description="Output\tand growth.")),
    (codes.INVISIBLE_CHARACTER, VALIDATE): Trigger(set_cells("topics", name_en="Eco\u202enomy")),
    (codes.FORMULA, VALIDATE): Trigger(set_cells("topics", description="=SUM(A1)")),
    (codes.NONCHARACTER, VALIDATE): Trigger(set_cells("topics", name_en="Eco\uffffnomy")),
    (codes.NAME_COLLISION, VALIDATE): Trigger(corpus_case("29-table-named-readme"), COMMITTED),
    # measures, directions and a source's arithmetic
    (codes.DIRECTION_WORD, VALIDATE): Trigger(set_cells("indicators", 1, direction_as_stated="涨涨")),
    (codes.DIRECTION_IN_QUOTE, VALIDATE): Trigger(set_cells("indicators", 1, direction_as_stated="下降", value="-5.2")),
    (codes.DIRECTION_MISSING, VALIDATE): Trigger(both(source_text(lambda text: text.replace("增长5.2", "下降5.2")),
                                                      set_cells("indicators", 1, quote="同比下降5.2%"))),
    (codes.UNIT_CUT_SHORT, VALIDATE): Trigger(extend_tiny(
        "较上半年提高1.4个百分点。", units=_POINTS,
        indicators=[_figure("gross-regional-product-points", "较上半年提高1.4个百分点", "1.4", "个", "1.4", "count",
                            measure="change", direction_as_stated="提高", compared_with_period_start="2022-01-01",
                            compared_with_period_end="2022-06-30")])),
    (codes.MEASURE_UNIT, VALIDATE): Trigger(set_cells("indicators", 1, measure="point_change",
                                                      compared_with_region_id="jiutai")),
    (codes.COMPARISON_BASE, VALIDATE): Trigger(set_cells("indicators", 1, measure="change", unit="CNY",
                                                         unit_as_stated="亿元", value="520000000")),
    (codes.SHARE_OF, VALIDATE): Trigger(set_cells("indicators", 1, measure="share")),
    (codes.STOCK_ON_A_DAY, VALIDATE): Trigger(set_cells("catalogue", kind="stock")),
    (codes.PART_EXCEEDS_WHOLE, VALIDATE): Trigger(extend_tiny(
        "第一产业增加值300.1亿元。", catalogue=_PARTS[:1],
        indicators=[_figure("primary-industry-value-added", "第一产业增加值300.1亿元", "300.1", "亿元", "30010000000",
                            "CNY", indicator="primary_industry_value_added")])),
    (codes.PARTS_SUM, VALIDATE): Trigger(both(_grp_parts_add_up, extend_tiny(
        "第一产业增加值30亿元，第二产业增加值100亿元，第三产业增加值130亿元。", catalogue=_PARTS,
        indicators=[_figure(part["code"].replace("_", "-"), f"{part['name_zh']}{n}亿元", n, "亿元", f"{n}00000000", "CNY",
                            indicator=part["code"])
                    for part, n in zip(_PARTS, ("30", "100", "130"))]))),
    (codes.SHARES_SUM, VALIDATE): Trigger(extend_tiny(
        "三次产业结构为11.2:48.7:41.1。", units=[_RATIO],
        indicators=[_figure(f"gross-regional-product-share-{i}", "三次产业结构为11.2:48.7:41.1", n, ":", n, "percent",
                            measure="share", share_of="gross_regional_product")
                    for i, n in enumerate(("11.2", "48.7", "41.1"), start=1)])),
    # units
    (codes.UNIT_KNOWN, VALIDATE): Trigger(set_cells("indicators", unit_as_stated="斤斤")),
    (codes.UNIT_BASE, VALIDATE): Trigger(set_cells("indicators", unit="ha")),
    (codes.UNIT_FULL_WIDTH, VALIDATE): Trigger(full_width_unit("0.01")),
    (codes.UNIT_FACTOR, VALIDATE): Trigger(unit_row("万亩", "ha", "666.7", "10 thousand mu")),  # 10000 × 1/15 ha
    (codes.VALUE_CONVERSION, VALIDATE): Trigger(set_cells("indicators", value="2646000")),
    (codes.NUMBER_READABLE, VALIDATE): Trigger(set_cells("indicators", value_as_stated="十十")),
    (codes.QUANTITY_COMPLETE, VALIDATE): Trigger(
        lambda root: set_cells("plans", next(i for i, row in enumerate(_rows(root, "plans")[1]) if row["target_value"]),
                               target_unit="")(root), package=COMMITTED),
    (codes.COUNT_WHOLE, VALIDATE): Trigger(set_cells("indicators", value="100.5", value_as_stated="100.5"),
                                           package=COMMITTED),
    (codes.LEVEL_NONNEGATIVE, VALIDATE): Trigger(set_cells("indicators", value="-26460000000",
                                                           value_as_stated="-264.6")),
    (codes.PERCENT_RANGE, VALIDATE): Trigger(set_cells("indicators", 1, measure="level", value="150",
                                                       value_as_stated="150")),
    (codes.YOY_RANGE, VALIDATE): Trigger(set_cells("indicators", 1, value="-150", value_as_stated="-150")),
    (codes.YOY_UNIT, VALIDATE): Trigger(set_cells("indicators", 1, unit="CNY", unit_as_stated="亿元",
                                                  value="520000000")),
    # provenance and coverage
    (codes.SOURCE_FILE, VALIDATE): Trigger(lambda root: (root / "data" / "sources" / f"{TINY_SOURCE_ID}.txt").unlink()),
    (codes.SOURCE_SHA256, VALIDATE): Trigger(source_text(lambda text: text + "另有一句。\n", rehash=False)),
    (codes.QUOTE_VERBATIM, VALIDATE): Trigger(set_cells("indicators", quote="前三季度地区生产总值达到264.6忆元")),
    (codes.NUMBER_IN_QUOTE, VALIDATE): Trigger(set_cells("indicators", value_as_stated="26", value="2600000000")),
    (codes.UNUSED_TOPIC, VALIDATE): Trigger(append_copy("topics", id="unused", name_zh="未用", name_en="Unused")),
    (codes.NAME_IN_QUOTE, VALIDATE): Trigger(set_cells("projects", name_zh="不在引文中的项目"), COMMITTED),
    (codes.UNIT_IN_QUOTE, VALIDATE): Trigger(set_cells("indicators", 1, unit_as_stated="亿元", unit="CNY",
                                                       value="520000000", measure="level")),
    (codes.NUMBER_COVERED, VALIDATE): Trigger(source_text(lambda text: text + "另有77个。\n")),
    # periods and status
    (codes.PERIOD_ORDER, VALIDATE): Trigger(set_cells("indicators", period_start="2023-01-01")),
    (codes.ACTUAL_AFTER_PUBLICATION, VALIDATE): Trigger(set_cells("indicators", period_end="2023-12-31")),
    (codes.TARGET_BEFORE_PUBLICATION, VALIDATE): Trigger(set_cells("indicators", status="target",
                                                                   period_start="2021-01-01",
                                                                   period_end="2021-12-31")),
    (codes.STARTED_AFTER_PUBLICATION, VALIDATE): Trigger(
        set_where("plans", lambda row: row["status"] == "done", horizon_start="2030-01-01", horizon_end="2030-12-31"),
        COMMITTED),
    (codes.PLANNED_BEFORE_PUBLICATION, VALIDATE): Trigger(
        set_where("plans", lambda row: row["status"] == "planned", horizon_start="2000-01-01", horizon_end="2000-12-31"),
        COMMITTED),
    # row IDs, catalogue, ranges
    (codes.ID_SOURCE, VALIDATE): Trigger(set_cells("indicators", id="another-source--gross-regional-product")),
    (codes.ID_INDICATOR, VALIDATE): Trigger(set_cells("indicators", id=f"{TINY_SOURCE_ID}--no-code-here")),
    (codes.ID_REFERENCE, VALIDATE): Trigger(set_cells("indicators", note=f"See {TINY_SOURCE_ID}--no-such-row.")),
    (codes.CATALOGUE_UNIT, VALIDATE): Trigger(set_cells("catalogue", unit="%")),
    (codes.RANGE_COMPLETE, VALIDATE): Trigger(set_cells("indicators", qualifier="range")),
    (codes.RANGE_ORDER, VALIDATE): Trigger(set_cells("indicators", qualifier="range", value_high="26460000000",
                                                     value_high_as_stated="264.6")),
    (codes.RANGE_CONVERSION, VALIDATE): Trigger(set_cells("indicators", qualifier="range", value_high="1",
                                                          value_high_as_stated="264.6")),
    (codes.RANGE_IN_QUOTE, VALIDATE): Trigger(set_cells("indicators", qualifier="range", value_high="30000000000",
                                                        value_high_as_stated="300")),
    (codes.QUALIFIER_GIVEN, VALIDATE): Trigger(set_where("plans", lambda row: bool(row["target_value"]), qualifier=""),
                                               COMMITTED),
    # twins and integrity
    (codes.TWIN_MISSING, VALIDATE): Trigger(lambda root: (root / "data" / "topics.parquet").unlink(), COMMITTED),
    (codes.TWIN_UNREADABLE, VALIDATE): Trigger(lambda root: (root / "data" / "topics.parquet").write_bytes(b"PAR1"),
                                               COMMITTED),
    (codes.TWIN_COLUMNS, VALIDATE): Trigger(twin("topics", lambda table: table.drop_columns(["description"])),
                                            COMMITTED),
    (codes.TWIN_TYPE, VALIDATE): Trigger(twin("units", lambda table: table.set_column(
        table.column_names.index("factor"), "factor", table.column("factor").cast(pa.string()))), COMMITTED),
    (codes.TWIN_ROW_MISSING, VALIDATE): Trigger(twin("topics", lambda table: table.slice(1)), COMMITTED),
    (codes.TWIN_ROW_EXTRA, VALIDATE): Trigger(
        lambda root: (lambda header_rows: _write_rows(root, "topics", header_rows[0], header_rows[1][:-1]))(
            _rows(root, "topics")), COMMITTED),
    (codes.TWIN_VALUE, VALIDATE): Trigger(set_cells("topics", description="Changed after the build."), COMMITTED),
    (codes.RESOURCE_BYTES, VALIDATE): Trigger(resource("topics", bytes=1), COMMITTED),
    (codes.RESOURCE_HASH, VALIDATE): Trigger(resource("topics", hash="sha256:" + "0" * 64), COMMITTED),
    (codes.LEFTOVER_TEMPORARY_FILE, VALIDATE): Trigger(
        corpus_case("28-leftover-temporary-file-and-an-undeclared-file"), COMMITTED),
    (codes.UNDECLARED_FILE, VALIDATE): Trigger(corpus_case("28-leftover-temporary-file-and-an-undeclared-file"),
                                               COMMITTED),
    # consistency (warnings)
    (codes.ONE_FIGURE_TWO_FACTS, VALIDATE): Trigger(corpus_case("27-one-quote-for-two-periods"), COMMITTED),
    (codes.REVISION, VALIDATE): Trigger(corpus_case("11-revised-figure-from-a-second-source"), COMMITTED),
    (codes.YOY_LEVELS, VALIDATE): Trigger(corpus_case("12-yoy-change-contradicting-two-levels"), COMMITTED),
    (codes.ACKNOWLEDGEMENT_UNMATCHED, VALIDATE): Trigger(acknowledge(codes.REVISION), COMMITTED),
    # the contract and history
    (codes.CONTRACT, VALIDATE): Trigger(field_constraint(
        "indicators", "measure", enum=["level", "yoy_change", "point_change", "change", "share", "qoq_change"])),
    (codes.CONTRACT_OPTION, VALIDATE): Trigger(resource("topics", compression="gz")),
    (codes.STRAY_PART_FILE, VALIDATE): Trigger(stray_part_file, PARTITIONED),
    (codes.PART_BOUNDS, VALIDATE): Trigger(part_of_many_copies, PARTITIONED),
    (codes.BASE_UNREADABLE, VALIDATE): Trigger(arguments={"base": "no-such-revision"}),
    (codes.SOURCE_TEXT_CHANGED, VALIDATE): Trigger(both(committed, source_text(lambda text: text + "另有一句。\n")),
                                                   arguments={"base": "HEAD"}),
    (codes.EXISTING_ROW_CHANGED, VALIDATE): Trigger(both(committed, set_cells("indicators", note="Corrected.")),
                                                    arguments={"base": "HEAD"}),
    (codes.EXISTING_ROW_REMOVED, VALIDATE): Trigger(both(committed, drop_row("indicators", 1)),
                                                    arguments={"base": "HEAD"}),
    (codes.REVIEWED_IN_FUTURE, VALIDATE): Trigger(reviewed_on("2999-01-01"), COMMITTED),
    # bugs: a crashing check, a conversion that fails after validation
    (codes.INTERNAL, VALIDATE): Trigger(patch=_crash),
    (codes.BUILD, BUILD): Trigger(patch=_break_conversion),
    # add-source
    (codes.PACKAGE, ADD_SOURCE): add(mutate=lambda root: (root / "datapackage.json").unlink()),
    (codes.SCHEMA, ADD_SOURCE): add(mutate=lambda root: _add_required_field(root, "sources")),
    (codes.SOURCE_PATH, ADD_SOURCE): add(source_id="../../../outside"),
    (codes.FILE_UNREADABLE, ADD_SOURCE): add(text=b"/"),
    (codes.ENCODING, ADD_SOURCE): add(text=SOURCE_TEXT.encode("gbk")),
    (codes.BOM, ADD_SOURCE): add(text=b"\xef\xbb\xbf" + SOURCE_TEXT.encode("utf-8")),
    (codes.EMPTY_FILE, ADD_SOURCE): add(text=b"\n"),
    (codes.TYPE, ADD_SOURCE): add(published="yesterday"),
    (codes.REQUIRED, ADD_SOURCE): add(title_en=""),
    (codes.UNIQUE, ADD_SOURCE): add(source_id=TINY_SOURCE_ID),
    (codes.ENUM, ADD_SOURCE): add(mutate=field_constraint("sources", "publisher_en", enum=["Changchun Daily"])),
    (codes.PATTERN, ADD_SOURCE): add(source_id="Not An ID"),
    (codes.FORMAT, ADD_SOURCE): add(url="ftp://example.org/a"),
    (codes.MIN_LENGTH, ADD_SOURCE): add(mutate=field_constraint("sources", "title_en", minLength=1000)),
    (codes.NOT_NFC, ADD_SOURCE): add(title_en="Cafe\u0301"),
    (codes.WHITESPACE, ADD_SOURCE): add(title_en=" Padded"),
    (codes.CONTROL_CHARACTER, ADD_SOURCE): add(title_en="Tab\there"),
    (codes.FORMULA, ADD_SOURCE): add(title_en="=HYPERLINK()"),
    (codes.SYMLINK, ADD_SOURCE): Trigger(text=b"->"),
    (codes.NOT_A_FILE, ADD_SOURCE): Trigger(text=b"|"),
    (codes.TOO_LARGE, ADD_SOURCE): add(max_bytes=4),
    (codes.SOURCES_FILE, ADD_SOURCE): add(mutate=raw("sources", lambda data: data.replace(b"\n", b"\r\n"))),
}


def _add_required_field(root: Path, table: str) -> None:
    path = root / "schemas" / f"{table}.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["fields"].append({"name": "reviewer", "type": "string", "constraints": {"required": True}})
    path.write_text(json.dumps(schema, ensure_ascii=False, indent=2), encoding="utf-8")


# --------------------------------------------------------------------------- the tests


def test_every_registered_code_has_a_trigger_for_every_verb_that_reports_it():
    declared = {(code.name, verb) for code in codes.CODES.values() for verb in code.reported_by}
    assert declared - TRIGGERS.keys() == set(), "registered codes that no test triggers"
    assert TRIGGERS.keys() - declared == set(), "triggers for codes (or verbs) the registry does not declare"


def _checks_reported(root: Path, verb: str, trigger: Trigger) -> list[str]:
    if verb == VALIDATE:
        from jiutai_data.validate.run import validate_package

        return [f.check for f in validate_package(root, **(trigger.arguments or {})).findings]
    if verb == BUILD:
        from jiutai_data.publish.build import build_package

        return [f.check for f in build_package(root).report.findings]
    from jiutai_data.tools.add_source import add_source

    result = add_source(root, text_file(root, trigger), **{**ADD_SOURCE_ARGUMENTS, **(trigger.arguments or {})})
    assert not result.ok
    return [f.check for f in result.findings]


@pytest.mark.parametrize(("code", "verb"), sorted(TRIGGERS), ids=lambda value: value)
def test_each_mutation_triggers_its_code(code: str, verb: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    trigger = TRIGGERS[(code, verb)]
    if trigger.package == TINY:
        root = write_tiny_package(tmp_path / "package")
    elif trigger.package == PARTITIONED:  # a small synthetic package in the partitioned layout
        root = load_script("synth").synthesise(200, tmp_path / "package", sources=2, seed=1, layout="partitioned").out
    else:
        root = copy_package(tmp_path / "package")
    if trigger.patch is not None:
        trigger.patch(monkeypatch)
    trigger.mutate(root)
    reported = _checks_reported(root, verb, trigger)
    assert code in reported, f"{verb} did not report {code}; it reported {sorted(set(reported))}"
    # No mistake, however odd, makes a check crash or raise a code it does not declare (both are internal findings).
    assert code == codes.INTERNAL or codes.INTERNAL not in reported


def test_the_docs_list_exactly_the_registered_codes():
    # the list of checks moved from the README to the docs site (publish/docs.py, tests/test_docs_site.py)
    from jiutai_data.publish.docs import CHECKS, generated_pages

    listed = re.findall(r"^### `([a-z0-9-]+)`:", generated_pages(REPO)[CHECKS], re.M)
    assert sorted(listed) == sorted(codes.CODES)


def test_the_trigger_table_itself_fails_for_a_code_without_a_trigger(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(codes.CODES, "brand-new-check", codes.Code(
        "brand-new-check", codes.FAMILY_UNITS, "New", "meaning", "fix"))
    with pytest.raises(AssertionError, match="no test triggers"):
        test_every_registered_code_has_a_trigger_for_every_verb_that_reports_it()


def test_build_outputs_are_twin_and_integrity_codes_that_validate_reports():
    # what `build` rewrites: Parquet twins, the descriptor's bytes and hash, its leftover temporary files
    flagged = {code.name for code in codes.CODES.values() if code.build_output}
    assert {codes.TWIN_VALUE, codes.RESOURCE_HASH, codes.LEFTOVER_TEMPORARY_FILE} <= flagged
    assert all(codes.CODES[name].family == codes.FAMILY_TWINS for name in flagged)
    assert all(code.reported_by == (VALIDATE,) for code in codes.CODES.values() if code.build_output)
