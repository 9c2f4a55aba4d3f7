"""Everything the code knows about a table comes from its Table Schema, through here.

One place derives, from a Table Schema dict: the field names and Frictionless
types, the polars dtypes of the typed frames, the keys, and the Pandera (polars
backend) schema that enforces the field constraints, assembled from the checks
model/fields.py maps each constraint to (the one map of types and constraints).
Pandera's own ``from_frictionless_schema`` is pandas-only and tied to
Frictionless v4, so the small mapping is written here.

Constraint semantics follow the Table Schema spec as Frictionless applies it:
missing values (null) pass every constraint except ``required``; ``pattern`` must
match the whole cell; ``unique`` ignores missing values; primary-key fields are
required and unique together.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Mapping

import pyarrow

from jiutai_data.model import codes
from jiutai_data.model.fields import (TYPES, CheckLabel, FieldType, arrow_type, enum_values, field_type, pandera_checks,
                                     pl, sqlite_checks)

if TYPE_CHECKING:
    import pandera.polars as pa
    from pandera.api.polars.types import PolarsData

# Pandera is imported only where a Pandera schema is built: importing it costs
# about as much as reading a million rows (it loads pandas), and reading the
# package, its descriptor and its schemas needs none of it. validate.py
# imports it in the background while the tables are read.
PANDERA_MODULE = "pandera.polars"

@dataclass(frozen=True)
class ForeignKey:
    fields: list[str]
    resource: str  # "" means the table itself, as in the spec
    reference_fields: list[str]


def fields(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return list(schema.get("fields") or [])


# --- the typed model: a schema parsed once ------------------------------------------------------

@dataclass(frozen=True)
class Field:
    """One field of a Table Schema, parsed once; what each backend needs is a property here,
    looked up in model/fields.py's one table of types (none keeps a map of its own)."""

    name: str
    type: str
    title: str
    description: str
    format: str
    constraints: Mapping[str, Any]
    spec: Mapping[str, Any]  # the field as declared (what only the reader needs: trueValues, …)

    @classmethod
    def of(cls, spec: dict[str, Any]) -> Field:
        constraints = spec.get("constraints") if isinstance(spec.get("constraints"), dict) else {}
        return cls(name=spec["name"], type=spec.get("type", "string"), title=spec.get("title") or "",
                   description=spec.get("description") or "", format=spec.get("format") or "default",
                   constraints=MappingProxyType(dict(constraints)), spec=MappingProxyType(dict(spec)))

    @property
    def required(self) -> bool:
        return self.constraints.get("required") is True

    @property
    def unique(self) -> bool:
        return self.constraints.get("unique") is True

    @property
    def enum(self) -> list[str] | None:
        return enum_values(dict(self.spec))

    @property
    def label(self) -> str:
        """What a reader calls the field: its title, else its description."""
        return self.title or self.description

    @property
    def kind(self) -> FieldType:
        return field_type(dict(self.spec))

    @property
    def polars(self) -> pl.DataType:
        return TYPES[self.type].polars if self.type in TYPES else pl.String()

    @property
    def arrow(self):
        return arrow_type(dict(self.spec))

    @property
    def pandas_temporal(self) -> str | None:
        """The pandas dtype of a date, date-time or time field, by name (``"date32[day][pyarrow]"``):
        ``pd.ArrowDtype`` of the field's Arrow type; None for every other field.

        One dtype for `pd.read_parquet` of a twin (through ``Schema.pandas_metadata``), for
        ``load()`` and for the pandas recipe of the CSV. pandas has no date dtype of its own:
        by default pyarrow gives a date column as `object` (datetime.date), on which `.dt.year`
        fails, while an Arrow date keeps the date and has `.dt`. The name is what
        `pd.ArrowDtype(...)` prints, which `pd.read_parquet` and `pd.read_csv(dtype=...)` both accept."""
        arrow = self.arrow
        return f"{arrow}[pyarrow]" if pyarrow.types.is_temporal(arrow) else None

    def sqlite_checks(self, quoted_name: str) -> list[str]:
        """The field's constraints as SQLite CHECK clauses (model/fields.py: sqlite_checks)."""
        return sqlite_checks(dict(self.spec), quoted_name)

    def recipe_type(self, tool: str) -> str | None:
        """The field's type in ``tool``'s recipe (publish/recipes.py), None where the type has none."""
        return self.kind.recipe.get(tool)


@dataclass(frozen=True)
class Schema:
    """A Table Schema, parsed (``Schema.of``): its fields, keys and missing values."""

    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]
    missing_values: tuple[str, ...]

    @classmethod
    def of(cls, schema: dict[str, Any]) -> Schema:
        # Not cached: a schema dict can be edited after it was parsed (a contribution's checks,
        # the tests that hand a verb a broken schema), and a parse of a few dozen fields is cheap.
        return cls(fields=tuple(Field.of(spec) for spec in fields(schema)),
                   primary_key=tuple(primary_key(schema)), foreign_keys=tuple(foreign_keys(schema)),
                   missing_values=tuple(missing_values(schema)))

    @property
    def names(self) -> list[str]:
        return [field.name for field in self.fields]

    def field(self, name: str) -> Field:
        return next(field for field in self.fields if field.name == name)

    @property
    def required(self) -> set[str]:
        """The fields a row must fill: those marked required, and the primary key's."""
        return {field.name for field in self.fields if field.required} | set(self.primary_key)

    @property
    def unique(self) -> set[str]:
        return {field.name for field in self.fields if field.unique}

    def arrow_field(self, field: Field):
        """The field in the Parquet twins and ``load()``: its type, nullable unless required, and
        its description in the field's metadata, so that `pq.read_schema(...)` documents itself."""
        metadata = {"description": field.description} if field.description else None
        return pyarrow.field(field.name, field.arrow, nullable=field.name not in self.required, metadata=metadata)

    @property
    def arrow(self):
        """The Arrow schema of the twins and of ``load()``."""
        return pyarrow.schema([self.arrow_field(field) for field in self.fields])

    def pandas_metadata(self) -> dict[str, Any]:
        """The "pandas" key-value metadata of a Parquet file, from the schema alone (no pandas or
        pyarrow version in it, so the bytes do not depend on the environment).

        With it, `pd.read_parquet` and every tool that reads through pandas (among them
        `frictionless validate`) gets nullable numbers as pandas `Float64` with <NA>, not NaN,
        and dates and date-times as the Arrow dtypes of ``Field.pandas_temporal``."""
        columns = []
        for field in self.fields:
            arrow = self.arrow_field(field)
            kind = field.kind
            pandas_type = kind.pandas
            metadata: dict[str, Any] | None = None
            temporal = field.pandas_temporal
            if pyarrow.types.is_dictionary(arrow.type):
                pandas_type, numpy_type = "categorical", "int32"
                metadata = {"num_categories": len(field.enum or []), "ordered": False}
            elif temporal is not None:
                # pyarrow makes a column whose numpy_type names a pandas extension dtype of that dtype
                numpy_type = temporal
            else:
                numpy_type = "object" if pandas_type == "unicode" else pandas_type
                # A nullable float64 would turn nulls into NaN, a nullable int64 become float64;
                # pandas' own nullable dtypes keep both.
                if arrow.nullable and kind.pandas_nullable:
                    numpy_type = kind.pandas_nullable
            columns.append({"name": field.name, "field_name": field.name,
                            "pandas_type": pandas_type, "numpy_type": numpy_type, "metadata": metadata})
        return {"index_columns": [], "column_indexes": [], "columns": columns}


def with_fields(schema: dict[str, Any], at: int, specs: list[dict[str, Any]]) -> dict[str, Any]:
    """A copy of ``schema`` with the field specs ``specs`` inserted at position ``at``: the schema of
    what a page shows (a table's own columns, the columns joined from another table, the derived ones),
    for the model's functions that read a schema (model/roles.py)."""
    fields_ = fields(schema)
    return {**schema, "fields": [*fields_[:at], *specs, *fields_[at:]]}




def field_names(schema: dict[str, Any]) -> list[str]:
    return [field["name"] for field in fields(schema)]


def field_types(schema: dict[str, Any]) -> dict[str, str]:
    """Field name -> Frictionless type (``string`` where the schema says none)."""
    return {field["name"]: field.get("type", "string") for field in fields(schema)}


def polars_dtypes(schema: dict[str, Any]) -> dict[str, pl.DataType]:
    """Field name -> polars dtype of the column in a typed frame."""
    return {name: TYPES[kind].polars if kind in TYPES else pl.String() for name, kind in field_types(schema).items()}


def string_fields(schema: dict[str, Any]) -> list[str]:
    """Names of the text columns (what hygiene checks apply to)."""
    return [name for name, kind in field_types(schema).items() if kind == "string"]


def missing_values(schema: dict[str, Any]) -> list[str]:
    return list(schema.get("missingValues", [""]))


def _as_list(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def primary_key(schema: dict[str, Any]) -> list[str]:
    return _as_list(schema.get("primaryKey"))


def foreign_keys(schema: dict[str, Any]) -> list[ForeignKey]:
    keys = []
    for key in schema.get("foreignKeys") or []:
        reference = key.get("reference") or {}
        keys.append(ForeignKey(
            fields=_as_list(key.get("fields")),
            resource=reference.get("resource", ""),
            reference_fields=_as_list(reference.get("fields")),
        ))
    return keys


# --- Pandera ---------------------------------------------------------------

@dataclass
class GeneratedSchema:
    """A Pandera schema plus the labels that turn its failure cases into findings.

    Pandera reports a failed check by its position; ``column_labels[column][i]``
    and ``frame_labels[i]`` label check number ``i``.
    """

    pandera: pa.DataFrameSchema
    column_labels: dict[str, list[CheckLabel]]
    frame_labels: list[CheckLabel]


def _unique_together(names: list[str]):
    # A key with a missing part is reported as missing (required), not as a repeat.
    def check(data: PolarsData) -> pl.LazyFrame:
        incomplete = pl.any_horizontal(pl.col(name).is_null() for name in names)
        return data.lazyframe.select((incomplete | ~pl.struct(names).is_duplicated()).alias("unique_together"))
    return check


def primary_key_label(key_fields: list[str]) -> CheckLabel:
    return CheckLabel(codes.PRIMARY_KEY, f"a value of ({', '.join(key_fields)}) no other row has")


def repeat_labels(schema: dict[str, Any]) -> list[tuple[list[str], CheckLabel]]:
    """The fields no two rows may share, with the label of each rule: the primary key, then each
    unique field (what ``pandera_schema`` enforces on a frame, for a query over every row)."""
    key_fields = primary_key(schema)
    types = field_types(schema)
    rules = [(key_fields, primary_key_label(key_fields))] if key_fields else []
    for field in fields(schema):
        labels = pandera_checks(field, types[field["name"]], key_fields)[1]
        rules += [([field["name"]], label) for label in labels if label.check == codes.UNIQUE]
    return rules


def pandera_schema(schema: dict[str, Any], name: str = "table") -> GeneratedSchema:
    """The Pandera (polars) schema enforcing every field constraint and the primary key.

    It expects a typed frame (see :func:`polars_dtypes`); extra columns such as
    the row-number column are allowed.
    """
    import pandera.polars as pa

    key_fields = primary_key(schema)
    types = field_types(schema)
    dtypes = polars_dtypes(schema)
    columns: dict[str, pa.Column] = {}
    column_labels: dict[str, list[CheckLabel]] = {}
    for field in fields(schema):
        field_name = field["name"]
        constraints = field.get("constraints") or {}
        checks, labels = pandera_checks(field, types[field_name], key_fields)
        required = bool(constraints.get("required")) or field_name in key_fields
        columns[field_name] = pa.Column(dtypes[field_name], checks=checks, nullable=not required)
        column_labels[field_name] = labels
    frame_checks: list[pa.Check] = []
    frame_labels: list[CheckLabel] = []
    if key_fields:
        frame_checks.append(pa.Check(_unique_together(key_fields)))
        frame_labels.append(primary_key_label(key_fields))
    return GeneratedSchema(
        pandera=pa.DataFrameSchema(columns, checks=frame_checks, name=name, coerce=False, strict=False),
        column_labels=column_labels,
        frame_labels=frame_labels,
    )
