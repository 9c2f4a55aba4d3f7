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

import polars as pl

from jiutai_data.model.findings import Finding
from jiutai_data.model.frames import ROW_COLUMN, PackageFrames
from jiutai_data.model.ids import KEBAB, SEPARATOR
from jiutai_data.model.package import resource_paths

ID, SOURCE_ID, INDICATOR = "id", "source_id", "indicator"
# Free-text columns whose words may cite row IDs.
CITING_COLUMNS = ("note", "reason", "definition")
_CITED = f"{KEBAB}{SEPARATOR}{KEBAB}"


def _cited_tables(frames: PackageFrames) -> dict[str, pl.DataFrame]:
    return {name: frame for name, frame in frames.tables.items() if {ROW_COLUMN, ID, SOURCE_ID} <= set(frame.columns)}


def check_ids_name_their_source(frames: PackageFrames) -> list[Finding]:
    """`id-source` and `id-indicator`."""
    paths = resource_paths(frames.descriptor)
    findings: list[Finding] = []
    for table, frame in _cited_tables(frames).items():
        rows = frame.select(ROW_COLUMN, pl.col(ID).cast(pl.String), pl.col(SOURCE_ID).cast(pl.String),
                            *([pl.col(INDICATOR).cast(pl.String)] if INDICATOR in frame.columns else []))
        # an ID that does not have the form at all is the schema's `pattern` error
        well_formed = rows.filter(pl.col(ID).str.contains(f"^{_CITED}$") & pl.col(SOURCE_ID).is_not_null())
        prefix = pl.col(ID).str.split(SEPARATOR).list.first()
        wrong = well_formed.filter(prefix != pl.col(SOURCE_ID)).sort(ROW_COLUMN)
        for row in wrong.iter_rows(named=True):
            slug = row[ID].split(SEPARATOR, 1)[1]
            findings.append(Finding(
                table, row[ROW_COLUMN], ID, "id-source",
                f"id {row[ID]!r} starts with source {row[ID].split(SEPARATOR, 1)[0]!r} but the row's source_id is "
                f"{row[SOURCE_ID]!r}; expected {row[SOURCE_ID]}{SEPARATOR}{slug} (an ID is <source_id>{SEPARATOR}<slug>)",
                row[ID], path=paths.get(table)))
        if INDICATOR not in rows.columns:
            continue
        # the code must stand in the slug as whole words: bounded by its ends or by hyphens
        words = "-" + pl.col(ID).str.split(SEPARATOR).list.last() + "-"
        kebab = "-" + pl.col(INDICATOR).str.replace_all("_", "-") + "-"
        loose = well_formed.filter(pl.col(INDICATOR).is_not_null() & ~words.str.contains(kebab, literal=True))
        for row in loose.sort(ROW_COLUMN).iter_rows(named=True):
            code = row[INDICATOR].replace("_", "-")
            findings.append(Finding(
                table, row[ROW_COLUMN], ID, "id-indicator",
                f"id {row[ID]!r} does not contain its indicator code {row[INDICATOR]!r} in kebab-case ({code!r}); "
                f"expected a slug such as <region>-<period>-{code}[-yoy]",
                row[ID], path=paths.get(table)))
    return findings


def check_cited_ids_exist(frames: PackageFrames) -> list[Finding]:
    """`id-reference`: every `<source_id>--<slug>` word of a note names a row that exists."""
    tables = _cited_tables(frames)
    sources = frames.table("sources")
    if not tables or sources is None or ID not in sources.columns:
        return []
    known_sources = sources.get_column(ID).cast(pl.String).drop_nulls().implode()
    known_ids = pl.concat([frame.select(pl.col(ID).cast(pl.String)) for frame in tables.values()]).drop_nulls().unique()
    paths = resource_paths(frames.descriptor)
    findings: list[Finding] = []
    for table, frame in frames.tables.items():
        for column in CITING_COLUMNS:
            if column not in frame.columns or ROW_COLUMN not in frame.columns:
                continue
            cited = (frame.select(ROW_COLUMN, pl.col(column).cast(pl.String).str.extract_all(_CITED).alias(ID))
                     .explode(ID).drop_nulls(ID)
                     .filter(pl.col(ID).str.split(SEPARATOR).list.first().is_in(known_sources))
                     .join(known_ids, on=ID, how="anti").sort(ROW_COLUMN))
            for row, cited_id in cited.iter_rows():
                findings.append(Finding(
                    table, row, column, "id-reference",
                    f"{column} cites {cited_id!r}, which is the ID of no row of the package; expected the ID of an "
                    "existing row (IDs are <source_id>--<slug>; was the row renamed or removed?)",
                    cited_id, path=paths.get(table)))
    return findings
