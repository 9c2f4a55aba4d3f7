"""Row IDs: `<source_id>--<slug>` names the row's own source, and notes cite IDs that exist.

- ``id-source``: the prefix of a row's ID is its own ``source_id`` (the schema's pattern
  only says that the ID has the form; a row copied from another source keeps the wrong
  prefix, and two sources stating one fact would collide again);
- ``id-indicator``: the slug of an indicator row contains its indicator code in
  kebab-case, so that IDs follow the catalogue (model/ids.indicator_slug writes them);
- ``id-reference``: an ID cited in a note or a reason (a word of the form
  `<a source's ID>--<slug>`) is the ID of some row of the package.

Every table with both ``id`` and ``source_id`` is checked; nothing names the tables.
"""

from __future__ import annotations

import re

import polars as pl

from jiutai_data.model import codes
from jiutai_data.model.findings import Finding
from jiutai_data.model.frames import ROW_COLUMN, PackageFrames
from jiutai_data.model.ids import KEBAB, SEPARATOR
from jiutai_data.model.package import resource_paths
from jiutai_data.validate.checks.declare import Scope, declares

ID, SOURCE_ID, INDICATOR = "id", "source_id", "indicator"
# Free-text columns whose words may cite row IDs.
CITING_COLUMNS = ("note", "reason", "definition")
CITED_ID = f"{KEBAB}{SEPARATOR}{KEBAB}"  # an ID as a note cites it


def _cited_tables(frames: PackageFrames) -> dict[str, pl.DataFrame]:
    return {name: frame for name, frame in frames.tables.items() if {ROW_COLUMN, ID, SOURCE_ID} <= set(frame.columns)}


@declares(Scope.ROW, codes.ID_INDICATOR, codes.ID_SOURCE)
def check_ids_name_their_source(frames: PackageFrames) -> list[Finding]:
    """`id-source` and `id-indicator`."""
    paths = resource_paths(frames.descriptor)
    findings: list[Finding] = []
    well_formed = re.compile(f"^{CITED_ID}$")
    for table, frame in _cited_tables(frames).items():
        rows = frame.select(ROW_COLUMN, pl.col(ID).cast(pl.String), pl.col(SOURCE_ID).cast(pl.String),
                            *([pl.col(INDICATOR).cast(pl.String)] if INDICATOR in frame.columns else []))
        own_prefix = pl.col(ID).str.starts_with(pl.col(SOURCE_ID) + SEPARATOR)
        # (an ID without the separator, or not kebab-case, is the schema's `pattern` error)
        wrong = rows.filter(pl.col(ID).str.contains(SEPARATOR, literal=True) & ~own_prefix).sort(ROW_COLUMN)
        for row in wrong.iter_rows(named=True):
            if not well_formed.match(row[ID]) or row[SOURCE_ID] is None:
                continue
            prefix, slug = row[ID].split(SEPARATOR, 1)
            findings.append(Finding(
                table, row[ROW_COLUMN], ID, codes.ID_SOURCE,
                f"id {row[ID]!r} starts with source {prefix!r} but the row's source_id is {row[SOURCE_ID]!r}; "
                f"expected {row[SOURCE_ID]}{SEPARATOR}{slug} (an ID is <source_id>{SEPARATOR}<slug>)",
                row[ID], path=paths.get(table)))
        if INDICATOR not in rows.columns:
            continue
        # the code must stand in the slug as whole words (bounded by its ends or by hyphens); one
        # literal pattern per code, so the search stays a plain substring scan
        words = "-" + pl.col(ID).str.slice(pl.col(SOURCE_ID).str.len_chars() + len(SEPARATOR)) + "-"
        slugs = rows.filter(own_prefix & pl.col(INDICATOR).is_not_null()).with_columns(words.alias("_words"))
        loose = [group.filter(~pl.col("_words").str.contains(f"-{code.replace('_', '-')}-", literal=True))
                 for (code,), group in slugs.group_by(INDICATOR)]
        for row in (pl.concat(loose) if loose else slugs.clear()).sort(ROW_COLUMN).iter_rows(named=True):
            if not well_formed.match(row[ID]):
                continue
            code = row[INDICATOR].replace("_", "-")
            findings.append(Finding(
                table, row[ROW_COLUMN], ID, codes.ID_INDICATOR,
                f"id {row[ID]!r} does not contain its indicator code {row[INDICATOR]!r} in kebab-case ({code!r}); "
                f"expected a slug such as <region>-<period>-{code}[-yoy]",
                row[ID], path=paths.get(table)))
    return findings


@declares(Scope.TABLE, codes.ID_REFERENCE)
def check_cited_ids_exist(frames: PackageFrames) -> list[Finding]:
    """`id-reference`: every `<source_id>--<slug>` word of a note names a row that exists."""
    tables = _cited_tables(frames)
    sources = frames.table("sources")
    if not tables or sources is None or ID not in sources.columns:
        return []
    known_sources = sources.get_column(ID).cast(pl.String).drop_nulls().implode()
    cited_parts = []
    for table, frame in frames.tables.items():
        for column in CITING_COLUMNS:
            if column not in frame.columns or ROW_COLUMN not in frame.columns:
                continue
            text = pl.col(column).cast(pl.String)
            cited_parts.append(
                frame.filter(text.str.contains(SEPARATOR, literal=True))  # few notes cite a row
                .select(pl.lit(table).alias("_table"), pl.lit(column).alias("_column"), ROW_COLUMN,
                        text.str.extract_all(CITED_ID).alias(ID))
                .explode(ID).drop_nulls(ID)
                .filter(pl.col(ID).str.split(SEPARATOR).list.first().is_in(known_sources)))
    cited = pl.concat(cited_parts) if cited_parts else pl.DataFrame()
    if cited.is_empty():
        return []
    known_ids = pl.concat([frame.select(pl.col(ID).cast(pl.String)) for frame in tables.values()])
    missing = cited.join(known_ids, on=ID, how="anti")
    paths = resource_paths(frames.descriptor)
    order = {name: i for i, name in enumerate(frames.tables)}
    return [Finding(table, row, column, codes.ID_REFERENCE,
                    f"{column} cites {cited_id!r}, which is the ID of no row of the package; expected the ID of an "
                    "existing row (IDs are <source_id>--<slug>; was the row renamed or removed?)",
                    cited_id, path=paths.get(table))
            for table, column, row, cited_id in sorted(missing.iter_rows(), key=lambda r: (order[r[0]], r[2]))]
