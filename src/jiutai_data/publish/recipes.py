"""How to read each CSV file with its types in pandas, polars, DuckDB and R (readr): code
generated from the Table Schemas, for the README and the site.

Read with defaults, every tool guesses wrong: `value_as_stated` "100" becomes 100.0 (and the
number as written is lost), `regions.code` a number, dates stay text. Each recipe names the
type of every column, so nothing is guessed, and empty cells (the schemas' missing value) are
the only nulls. The types are those of the Parquet twins (see read/arrow.py); the tests run
the pandas, polars, DuckDB and R recipes and compare what they read with the twins.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from jiutai_data.model.package import Table
from jiutai_data.model.fields import TYPES
from jiutai_data.model.schema import Field, Schema

TOOLS = ("pandas", "polars", "duckdb", "readr")
LANGUAGES = {"pandas": "python", "polars": "python", "duckdb": "sql", "readr": "r"}

# Each tool's type for each Table Schema type is declared once, with the type, in model/fields.py
# (FieldType.recipe). Enum fields are categoricals in pandas, polars and R (with the enum as their
# categories, in schema order), text in DuckDB (whose ENUM needs a CREATE TYPE first). In pandas,
# dates, date-times and times are the Arrow dtypes that `pd.read_parquet` of the twin and `load()`
# give (Field.pandas_temporal).
# A date-time is read as text, then parsed as ISO 8601 in UTC: read_csv's own parsing of an
# Arrow timestamp dtype (or parse_dates) refuses, or leaves as text, a column whose cells
# state different offsets ("+08:00", "Z") or only some fractional seconds, all of which the
# schema allows.
_INSTANT = "datetime"


class RecipeError(ValueError):
    """A field whose type has no recipe here (the package uses none)."""


@dataclass(frozen=True)
class Recipe:
    tool: str
    language: str  # of the code block: python, sql, r
    code: str


def variable_name(table: Table) -> str:
    """A name every language accepts for the table's frame."""
    name = re.sub(r"\W", "_", table.name)
    return name if re.match(r"[A-Za-z]", name) else f"t_{name}"


def _type(field: Field, tool: str) -> str:
    """The field's type in ``tool``'s recipe, or RecipeError for a type with none."""
    declared = field.recipe_type(tool)
    if declared is None and not (tool == "pandas" and field.pandas_temporal is not None):
        raise RecipeError(f"field {field.name!r}: no recipe for Table Schema type {field.type!r}")
    return declared or ""


def _python_list(values: list[str]) -> str:
    return "[" + ", ".join(json.dumps(value, ensure_ascii=False) for value in values) + "]"


def pandas_recipe(table: Table) -> str:
    name = variable_name(table)
    dtypes, instants = [], []
    for field in Schema.of(table.schema).fields:
        declared = _type(field, "pandas")
        temporal = field.pandas_temporal
        if field.enum is not None:
            dtype = f"pd.CategoricalDtype({_python_list(field.enum)})"
        elif field.type == _INSTANT:
            dtype = TYPES["string"].recipe["pandas"]
            instants.append((json.dumps(field.name), json.dumps(temporal)))
        else:
            dtype = json.dumps(temporal) if temporal is not None else declared
        dtypes.append(f"        {json.dumps(field.name)}: {dtype},")
    lines = [
        "import pandas as pd",
        "",
        f"{name} = pd.read_csv(",
        f"    {json.dumps(table.resource['path'])},",
        "    dtype={",
        *dtypes,
        "    },",
        # Only an empty cell is missing: "NA" or "null" written in a cell stays text.
        "    keep_default_na=False,",
        '    na_values=[""],',
        ")",
    ]
    for column, dtype in instants:
        lines.append(f'{name}[{column}] = pd.to_datetime({name}[{column}], format="ISO8601", utc=True).astype({dtype})')
    return "\n".join(lines)


def polars_recipe(table: Table) -> str:
    overrides = []
    for field in Schema.of(table.schema).fields:
        declared = _type(field, "polars")
        dtype = f"pl.Enum({_python_list(field.enum)})" if field.enum is not None else declared
        overrides.append(f"        {json.dumps(field.name)}: {dtype},")
    return "\n".join([
        "import polars as pl",
        "",
        f"{variable_name(table)} = pl.read_csv(",
        f"    {json.dumps(table.resource['path'])},",
        "    schema_overrides={",
        *overrides,
        "    },",
        ")",
    ])


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def duckdb_recipe(table: Table) -> str:
    types = [f"    {_sql_text(field.name)}: {_sql_text(_type(field, 'duckdb'))}" for field in Schema.of(table.schema).fields]
    return "\n".join([
        f"CREATE TABLE {variable_name(table)} AS",
        f"SELECT * FROM read_csv({_sql_text(table.resource['path'])}, header = true, types = {{",
        ",\n".join(types),
        "});",
    ])


def _r_text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def readr_recipe(table: Table) -> str:
    columns = []
    for field in Schema.of(table.schema).fields:
        declared = _type(field, "readr")
        reader = (f"col_factor(levels = c({', '.join(_r_text(value) for value in field.enum)}))"
                  if field.enum is not None else declared)
        columns.append(f"  {field.name} = {reader}" if re.fullmatch(r"[A-Za-z][A-Za-z0-9_.]*", field.name)
                       else f"  `{field.name}` = {reader}")
    return "\n".join([
        "library(readr)",
        "",
        f'{variable_name(table)} <- read_csv({_r_text(table.resource["path"])}, na = "", col_types = cols(',
        ",\n".join(columns),
        "))",
    ])


RECIPES = {"pandas": pandas_recipe, "polars": polars_recipe, "duckdb": duckdb_recipe, "readr": readr_recipe}
TITLES = {"pandas": "pandas", "polars": "polars", "duckdb": "DuckDB", "readr": "R (readr)"}


def recipes(table: Table) -> list[Recipe]:
    return [Recipe(tool, LANGUAGES[tool], RECIPES[tool](table)) for tool in TOOLS]


def readme_section(described: list[Table]) -> str:
    """The README's generated section: per table, the four recipes."""
    blocks = []
    for table in described:
        lines = [f"#### `{table.name}`", ""]
        for recipe in recipes(table):
            lines += [f"{TITLES[recipe.tool]}:", "", f"```{recipe.language}", recipe.code, "```", ""]
        blocks.append("\n".join(lines).rstrip())
    return "\n\n".join(blocks)
