"""Every finding code the tools can report, declared once, as data.

Each code has a family (how the documentation groups it), a title, a default severity, whether it
concerns a build output that `jiutai-data build` rewrites (so that a rebuild, not an edit,
fixes it), what it means, how to fix it, and which verbs report it. `Finding` refuses a
code that is not declared here, the documentation's list of checks is generated from this module
(publish/readme.py), and a test triggers every code on a copy of the package
(tests/test_finding_codes.py), so a code cannot be added without its documentation and
its test.

The names are module constants so that a check writes ``codes.UNIT_KNOWN``, not a string
that could drift: ``Finding(table, row, column, codes.UNIT_KNOWN, message)``.

Why one module of this size: it is a registry, one declaration per code (title, meaning, fix),
read as data by the documentation; each check declares beside itself which of them it raises.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from jiutai_data.model.files import SUPPORTED_HASH_ALGORITHMS

Severity = Literal["error", "warning"]

VALIDATE, BUILD, ADD_SOURCE = "validate", "build", "add-source"


@dataclass(frozen=True)
class Code:
    name: str  # what Finding.check holds, e.g. "unit-known"
    family: str
    title: str
    meaning: str
    fix: str
    severity: Severity = "error"
    build_output: bool = False  # about a file `build` writes: a rebuild fixes it
    reported_by: tuple[str, ...] = (VALIDATE,)


class UnknownCode(ValueError):
    """A finding was made with a code this module does not declare (a bug in a check)."""


CODES: dict[str, Code] = {}

# The families, in the order the documentation lists them.
FAMILY_PACKAGE = "package and files"
FAMILY_ENCODING = "encoding and layout"
FAMILY_HEADER = "header"
FAMILY_TYPES = "types and constraints"
FAMILY_HYGIENE = "text hygiene"
FAMILY_UNITS = "units"
FAMILY_PROVENANCE = "provenance"
FAMILY_COVERAGE = "coverage"
FAMILY_PERIODS = "periods and status"
FAMILY_IDS = "row IDs"
FAMILY_CATALOGUE = "catalogue"
FAMILY_RANGES = "ranges and qualifiers"
FAMILY_FIGURES = "measures and directions"
FAMILY_ARITHMETIC = "a source's arithmetic"
FAMILY_TWINS = "twins and integrity"
FAMILY_CONSISTENCY = "consistency"
FAMILY_ACKNOWLEDGEMENTS = "acknowledgements"
FAMILY_TOOLS = "build and add-source"
FAMILY_INTERNAL = "internal"
FAMILIES = (FAMILY_PACKAGE, FAMILY_ENCODING, FAMILY_HEADER, FAMILY_TYPES, FAMILY_HYGIENE, FAMILY_UNITS,
            FAMILY_PROVENANCE, FAMILY_COVERAGE, FAMILY_PERIODS, FAMILY_IDS, FAMILY_CATALOGUE, FAMILY_RANGES, FAMILY_FIGURES, FAMILY_ARITHMETIC, FAMILY_TWINS, FAMILY_CONSISTENCY,
            FAMILY_ACKNOWLEDGEMENTS, FAMILY_TOOLS,
            FAMILY_INTERNAL)


def _declare(name: str, family: str, title: str, meaning: str, fix: str, *, severity: Severity = "error",
             build_output: bool = False, reported_by: tuple[str, ...] = (VALIDATE,)) -> str:
    if name in CODES:
        raise ValueError(f"finding code {name!r} is declared twice")
    if family not in FAMILIES:
        raise ValueError(f"finding code {name!r} has the unknown family {family!r}")
    CODES[name] = Code(name, family, title, meaning, fix, severity, build_output, reported_by)
    return name


def lookup(name: str) -> Code:
    """The declaration of code ``name``; raises UnknownCode for an undeclared one."""
    try:
        return CODES[name]
    except (KeyError, TypeError):
        raise UnknownCode(f"{name!r} is not a declared finding code; declare it in jiutai_data/model/codes.py") from None


def is_build_output(name: str) -> bool:
    return lookup(name).build_output


_REBUILD = ("Fix any other errors first, then run `jiutai-data build` (or `make`), which rewrites the file; "
            "never edit it by hand.")
_BOTH = (VALIDATE, ADD_SOURCE)

# --- package and files ---------------------------------------------------------------
PACKAGE = _declare(
    "package", FAMILY_PACKAGE, "No package here",
    "The folder does not exist, holds no `datapackage.json`, or the descriptor cannot be read (or, for "
    "add-source, does not describe a `sources` table): the command could not run.",
    "Name the folder that holds `datapackage.json`, or run the command inside it.", reported_by=_BOTH)
DESCRIPTOR = _declare(
    "descriptor", FAMILY_PACKAGE, "Invalid package descriptor",
    "`datapackage.json` is not UTF-8 JSON, is not an object with a `resources` list, or names a resource "
    "twice.", "Fix the JSON (the message gives line and column); give each resource its own name.")
DESCRIPTOR_NESTING = _declare(
    "descriptor-nesting", FAMILY_PACKAGE, "Descriptor nested too deep",
    "`datapackage.json` or a Table Schema that nests deeper than 64 levels: refused before it is parsed.",
    "Flatten the JSON; no descriptor of this package needs that depth.")
NO_RESOURCES = _declare(
    "no-resources", FAMILY_PACKAGE, "No resources", "A descriptor that declares no resources.",
    "Declare the tables under `resources`.")
NAME = _declare(
    "name", FAMILY_PACKAGE, "Unsafe name",
    "A package or resource name that is not a plain name (`^[a-z0-9._-]+$`, no `..`): names become file names.",
    "Use lowercase letters, digits, `.`, `_` and `-` only.")
URL = _declare(
    "url", FAMILY_PACKAGE, "Link not a web address",
    "A descriptor link (`homepage`, a licence's or source's `path`) with a scheme other than `http` or `https`.",
    "Give an `http://` or `https://` address.")
SCHEMA = _declare(
    "schema", FAMILY_PACKAGE, "Unsupported Table Schema",
    "A Table Schema that is not valid JSON, or that uses a type, constraint or regex this package does not "
    "support; the table's rows are not checked until it is fixed.",
    "Use the types and constraints listed in CONTRIBUTING.md; the message names the field.", reported_by=_BOTH)
DIALECT = _declare(
    "dialect", FAMILY_PACKAGE, "Unsupported CSV dialect",
    "A dialect other than comma-separated, with a header, `\"` quotes and LF line ends.",
    "Save the file in that format and remove the option from the resource's dialect.")
RESOURCE_PATH = _declare(
    "resource-path", FAMILY_PACKAGE, "Unsafe resource path",
    "A resource path that is absolute, leaves the package (`..`, a symbolic link out), is a URL or a list of "
    "files: it is reported and never opened.", "Keep every file inside the package and name it by a relative path.")
SOURCE_PATH = _declare(
    "source-path", FAMILY_PACKAGE, "Unsafe source path",
    "A `path` in `sources` (or a source ID that would make one) that is absolute or leaves the package.",
    "Keep the source text under `data/sources/` and give its path relative to `datapackage.json`.",
    reported_by=_BOTH)
RESOURCE_FORMAT = _declare(
    "resource-format", FAMILY_PACKAGE, "Format not published",
    "A resource whose format is neither CSV (a table) nor Parquet named `<table>-parquet` (its twin), in any case "
    "or from its path's extension: no verb would publish it.",
    "Give a table `\"format\": \"csv\"`, or remove the resource.")
SYMLINK = _declare(
    "symlink", FAMILY_PACKAGE, "Symbolic link",
    "A symbolic link anywhere in `data/` or on the way to a declared file (or given to add-source as the text), "
    "even one that stays inside the package: refused, never followed.",
    "Replace the link by the file itself.", reported_by=_BOTH)
NOT_A_FILE = _declare(
    "not-a-file", FAMILY_PACKAGE, "Not a plain file", "A pipe, device or folder where a file should be.",
    "Put a plain file there.", reported_by=_BOTH)
FILE_MISSING = _declare(
    "file-missing", FAMILY_PACKAGE, "Missing file", "A resource's CSV file does not exist.",
    "Add the file, or correct the resource's `path`.")
FILE_UNREADABLE = _declare(
    "file-unreadable", FAMILY_PACKAGE, "Unreadable file", "A file exists but cannot be read (permissions, a folder).",
    "Make the file readable.", reported_by=_BOTH)

PART_BOUNDS = _declare(
    "part-bounds", FAMILY_PACKAGE, "Part file too large for its size",
    "A Parquet part file whose metadata says it holds more rows than bytes, a column with more bytes per row than a "
    "cell may hold, or pages that decompress to more than 200 times its size: it is not read, so that a small "
    "file cannot exhaust memory.",
    "Write the part file again from its rows (jiutai-data build, or the tool that made it).")

PARTITION = _declare(
    "partition", FAMILY_PACKAGE, "Partitioned table out of its layout",
    "A partitioned table (its resource lists Parquet part files under `partitioning`) whose `partitioning.keys` "
    "is missing, whose part file is not in a `key=value` partition folder, or whose row is in another "
    "partition than the text of its source.",
    "List the partition keys in `partitioning.keys`, put each part file under its `key=value` folders, and "
    "move a row into its source's partition.")

# --- encoding and layout ---------------------------------------------------------------
ENCODING = _declare(
    "encoding", FAMILY_ENCODING, "Not UTF-8",
    "A file that is not UTF-8, such as GBK from a spreadsheet, or a resource that declares another `encoding`.",
    "Re-save it as UTF-8; the message gives the `iconv` command.", reported_by=_BOTH)
BOM = _declare(
    "bom", FAMILY_ENCODING, "Byte order mark", "The file starts with a UTF-8 byte order mark.",
    "Save it as \"UTF-8\", not \"UTF-8 with BOM\", or strip the mark with the `sed` command in the message.",
    reported_by=_BOTH)
LINE_ENDINGS = _declare(
    "line-endings", FAMILY_ENCODING, "Windows line endings", "CRLF line ends instead of LF.",
    "Convert with `dos2unix` or save with Unix (LF) line endings.")
EMPTY_FILE = _declare(
    "empty-file", FAMILY_ENCODING, "Empty file", "A CSV file without even a header row, or an empty source text.",
    "Write the header row (or the text).", reported_by=_BOTH)
BLANK_ROW = _declare(
    "blank-row", FAMILY_ENCODING, "Blank row", "An empty line inside a CSV file.", "Delete the line.")
MISSING_CELL = _declare(
    "missing-cell", FAMILY_ENCODING, "Too few cells", "A row with fewer cells than the header.",
    "Add the missing cells (empty ones are written as nothing between two commas).")
EXTRA_CELL = _declare(
    "extra-cell", FAMILY_ENCODING, "Too many cells", "A row with more cells than the header, often an unquoted comma.",
    "Quote the cell that holds a comma: `\"a, b\"`.")
UNTERMINATED_QUOTE = _declare(
    "unterminated-quote", FAMILY_ENCODING, "Unterminated quote",
    "A quoted cell that is not closed, so that it runs into the next row or to the end of the file.",
    "Close the quote; double a `\"` inside a quoted cell.")

# --- header ----------------------------------------------------------------------------
HEADER = _declare(
    "header", FAMILY_HEADER, "No header row", "The first row is not the list of the schema's column names.",
    "Put the header row first.")
MISSING_COLUMN = _declare(
    "missing-column", FAMILY_HEADER, "Missing column", "A column of the schema is not in the header.",
    "Add the column, in the schema's order.")
EXTRA_COLUMN = _declare(
    "extra-column", FAMILY_HEADER, "Extra column", "A column in the header that the schema does not declare.",
    "Remove it, or add the field to the Table Schema.")
DUPLICATE_COLUMN = _declare(
    "duplicate-column", FAMILY_HEADER, "Repeated column", "A column name appears more than once in the header.",
    "Keep one of them.")
COLUMN_ORDER = _declare(
    "column-order", FAMILY_HEADER, "Columns out of order", "The header lists the schema's fields in another order.",
    "Reorder the columns as the schema lists its fields.")

# --- types and constraints ---------------------------------------------------------------
TYPE = _declare(
    "type", FAMILY_TYPES, "Wrong type",
    "A cell that does not cast to its field's type (`NaN`, `inf` and full-width digits included; a whole number "
    "beyond ±(2^53 − 1); a date-time with more than three digits after the seconds' point), or a publication "
    "time that is not an ISO 8601 date-time with its offset.",
    "Write the value in the form the message gives, e.g. `2023-01-05T09:00:00+08:00`.", reported_by=_BOTH)
CELL_SIZE = _declare(
    "cell-size", FAMILY_TYPES, "Cell too large",
    "A cell longer than the most an Excel cell holds (32,767 characters), so that a download could not hold it.",
    "Shorten it, or move long text into a source file.")
REQUIRED = _declare(
    "required", FAMILY_TYPES, "Required value missing", "An empty cell in a required column.", "Fill it in.",
    reported_by=_BOTH)
UNIQUE = _declare(
    "unique", FAMILY_TYPES, "Repeated unique value",
    "A value of a unique column (or a new source ID) that another row already has.", "Choose a new value.",
    reported_by=_BOTH)
ENUM = _declare(
    "enum", FAMILY_TYPES, "Value not allowed", "A value outside the field's list of allowed values.",
    "Use one of the values the message lists.", reported_by=_BOTH)
PATTERN = _declare(
    "pattern", FAMILY_TYPES, "Pattern not matched", "A value that does not match the field's pattern.",
    "Write it in the form the pattern describes (the data dictionary shows it).", reported_by=_BOTH)
FORMAT = _declare(
    "format", FAMILY_TYPES, "Malformed value",
    "A value that does not fit the field's `format`, such as a `uri` that is not an `http://` or `https://` "
    "address (`javascript:alert(1)` is refused).", "Correct the value.", reported_by=_BOTH)
MINIMUM = _declare(
    "minimum", FAMILY_TYPES, "Below the minimum", "A number below the field's `minimum`.", "Correct the value.")
MAXIMUM = _declare(
    "maximum", FAMILY_TYPES, "Above the maximum", "A number above the field's `maximum`.", "Correct the value.")
EXCLUSIVE_MINIMUM = _declare(
    "exclusive-minimum", FAMILY_TYPES, "Not above the exclusive minimum", "A number at or below `exclusiveMinimum`.",
    "Correct the value.")
EXCLUSIVE_MAXIMUM = _declare(
    "exclusive-maximum", FAMILY_TYPES, "Not below the exclusive maximum", "A number at or above `exclusiveMaximum`.",
    "Correct the value.")
FOREIGN_KEY_TARGET = _declare(
    "foreign-key-target", FAMILY_TYPES, "Foreign key to columns that repeat",
    "A foreign key that points at columns that are neither the target's primary key nor unique.",
    "Point it at the target's primary key.")
HIERARCHY_CYCLE = _declare(
    "hierarchy-cycle", FAMILY_TYPES, "Row is its own ancestor",
    "A table that refers to itself (`regions.parent_id`) with a row that is its own parent or ancestor.",
    "Correct the parent of the row the message names.")
MIN_LENGTH = _declare(
    "min-length", FAMILY_TYPES, "Too short", "Text shorter than the field's `minLength`.", "Complete the text.",
    reported_by=_BOTH)
MAX_LENGTH = _declare(
    "max-length", FAMILY_TYPES, "Too long", "Text longer than the field's `maxLength`.", "Shorten the text.")
PRIMARY_KEY = _declare(
    "primary-key", FAMILY_TYPES, "Repeated primary key", "Two rows with the same primary key; the message names the first.",
    "Give the new row its own ID (CONTRIBUTING.md describes the scheme).")
FOREIGN_KEY = _declare(
    "foreign-key", FAMILY_TYPES, "Foreign key to nowhere",
    "A value that is not in the table it refers to, in the same table or across tables, or a foreign key that "
    "names a table or columns that do not exist.", "Add the row it refers to, or correct the value.")

# --- text hygiene ----------------------------------------------------------------------
NOT_NFC = _declare(
    "not-nfc", FAMILY_HYGIENE, "Not Unicode NFC", "Text with decomposed characters, which look the same but do not match.",
    "Retype it, or apply `unicodedata.normalize('NFC', text)`.", reported_by=_BOTH)
WHITESPACE = _declare(
    "whitespace", FAMILY_HYGIENE, "Leading or trailing white space", "A cell that starts or ends with white space.",
    "Remove the white space.", reported_by=_BOTH)
CONTROL_CHARACTER = _declare(
    "control-character", FAMILY_HYGIENE, "Control character",
    "Text with a tab, line break or other control character (in a source text: any but tab and line breaks).",
    "Remove it.", reported_by=_BOTH)
INVISIBLE_CHARACTER = _declare(
    "invisible-character", FAMILY_HYGIENE, "Invisible character",
    "Text with a bidirectional control (U+202A–U+202E, U+2066–U+2069) or a zero-width or invisible format "
    "character (U+200B–U+200F, U+2060, U+FEFF), which makes what is shown differ from what is stored.",
    "Delete the code point the message names.")
NONCHARACTER = _declare(
    "noncharacter", FAMILY_HYGIENE, "Noncharacter",
    "Text (a cell, or a text of the descriptor or a schema) holding a Unicode noncharacter (U+FDD0–U+FDEF, "
    "U+FFFE, U+FFFF and their twins in every plane), which is not text: CITATION.cff (YAML) and the workbook "
    "(XML) cannot hold it.", "Delete the code point the message names.")
NAME_COLLISION = _declare(
    "name-collision", FAMILY_PACKAGE, "Name collides in a download",
    "Two names that are distinct in the package would be one in a download: a table named like another's "
    "full-text index (`T_fts`) or foreign-key index, or `sqlite_*`, in SQLite; a table named `readme` or "
    "`history`, or two that share their first 31 characters, as workbook sheets; two columns of a table that "
    "differ only in case (SQLite), or that are one Stata variable name (letters, digits and _, at most 32).",
    "Rename the table or column the message names.")
FORMULA = _declare(
    "formula", FAMILY_HYGIENE, "Starts like a formula",
    "A text cell that starts with `=`, `+`, `-` or `@`, which a spreadsheet would run as a formula.",
    "Reword it so that it starts otherwise.", reported_by=_BOTH)

# --- units -----------------------------------------------------------------------------
UNIT_KNOWN = _declare(
    "unit-known", FAMILY_UNITS, "Unknown unit", "`unit_as_stated` (or another stated unit) is not in `units`.",
    "Add the unit to `data/units.csv` with its base unit and factor, or correct it.")
UNIT_FULL_WIDTH = _declare(
    "unit-full-width", FAMILY_UNITS, "Full-width unit converts differently",
    "A full-width unit in `units` (such as `％`) that converts to another base unit or factor than its ASCII "
    "form (`%`).", "Give the full-width row the same `unit` and `factor` as its ASCII form.")
UNIT_FACTOR = _declare(
    "unit-factor", FAMILY_UNITS, "Unit differs from its definition",
    "A row of `units` whose unit is a known prefix (千, 万, 亿) and root (亩, 斤, 千瓦时, …) with another base unit "
    "or factor than that definition gives (model/unit_definitions.py), e.g. 万亩 with 666.7 or 10000 instead "
    "of 10000 × 1/15 ha.", "Write the base unit and factor that the message derives from the definition.")
UNIT_BASE = _declare(
    "unit-base", FAMILY_UNITS, "Wrong base unit", "`unit` is not the base unit of the stated unit, or a stated unit "
    "converts to another base unit than a fixed-unit column such as an investment in CNY.",
    "Write the base unit that `units` gives for the stated unit.")
VALUE_CONVERSION = _declare(
    "value-conversion", FAMILY_UNITS, "Value does not match its stated number",
    "`value` is not number(`value_as_stated`) × factor; the message suggests the likely mistake, such as 亿元 "
    "entered as 万元 or a fraction for a percentage.", "Recompute the value from the stated number and unit.")
NUMBER_READABLE = _declare(
    "number-readable", FAMILY_UNITS, "Unreadable stated number",
    "A stated number in Chinese numerals that has no single reading.",
    "Write a number such as 两, 十三 or 三百五十; put a range or an approximation in two rows or the note.")
QUANTITY_COMPLETE = _declare(
    "quantity-complete", FAMILY_UNITS, "Quantity given in part",
    "Some of a quantity's columns (value, unit, stated number, stated unit) are given and others are empty.",
    "Give all of them or none.")
COUNT_WHOLE = _declare(
    "count-whole", FAMILY_UNITS, "Count not whole", "A count that is not a whole number.", "Correct the value or its unit.")
LEVEL_NONNEGATIVE = _declare(
    "level-nonnegative", FAMILY_UNITS, "Negative level", "A level or share below zero.",
    "Correct the value; a fall is a `yoy_change`, `point_change` or `change` whose direction_as_stated (下降, 减少, "
    "a minus) makes it negative.")
PERCENT_RANGE = _declare(
    "percent-range", FAMILY_UNITS, "Share above 100 %", "A share or rate in percent above 100.",
    "Correct the value; a fraction such as 0.5 is 50 %.")
YOY_RANGE = _declare(
    "yoy-range", FAMILY_UNITS, "Change of −100 % or less", "A `yoy_change` of −100 % or less.", "Correct the value.")
YOY_UNIT = _declare(
    "yoy-unit", FAMILY_UNITS, "Change not in percent", "A `yoy_change` whose unit is not percent.",
    "State the change in percent.")
MEASURE_UNIT = _declare(
    "measure-unit", FAMILY_UNITS, "Measure in the wrong unit",
    "A `point_change` not in percentage points (个百分点), a `share` not in percent, or a level or change in "
    "percentage points.",
    "Choose the measure the quote states: 提高1.4个百分点 is a point_change in 个百分点; 占…比重46.2% is a share.")

# --- measures and directions --------------------------------------------------------------
DIRECTION_WORD = _declare(
    "direction-word", FAMILY_FIGURES, "Unknown direction word",
    "direction_as_stated is not a word that gives a change its direction (增长, 下降, 减少, 提高, 回落 …) nor a minus.",
    "Write the word exactly as the quote has it, or leave the cell empty where the quote writes none.")
DIRECTION_IN_QUOTE = _declare(
    "direction-in-quote", FAMILY_FIGURES, "Direction not in the quote",
    "direction_as_stated does not stand in the quote, so the sign of the value rests on nothing the source says.",
    "Copy the word (or minus) from the quote, or correct the quote.")
DIRECTION_MISSING = _declare(
    "direction-missing", FAMILY_FIGURES, "A fall recorded as a rise",
    "The quote writes a fall right before the stated number (下降12.4, 减少了3, -9.7), but direction_as_stated is "
    "empty, so the value reads as a rise.",
    "Set direction_as_stated to the word (or minus) and make the value negative.")
UNIT_CUT_SHORT = _declare(
    "unit-cut-short", FAMILY_FIGURES, "Unit cut short",
    "The quote writes a longer unit of the units table where the stated unit stands: 1.4个百分点 recorded as 个 "
    "(a count) instead of 个百分点 (percentage points).",
    "Record the whole unit the quote writes, and the measure it implies (个百分点: point_change).")
COMPARISON_BASE = _declare(
    "comparison-base", FAMILY_FIGURES, "Change without its comparison",
    "A point_change or change names no place or period it is compared with; or a level or share names one; or a "
    "compared period lacks an end or runs backwards.",
    "Fill compared_with_region_id (高于全省) or compared_with_period_start and _end (较上半年), as the quote says.")
SHARE_OF = _declare(
    "share-of", FAMILY_FIGURES, "Share without its whole",
    "A share does not name the whole it is a share of (share_of), or a figure that is not a share names one.",
    "Set share_of to the catalogue code of the whole (gross_regional_product for 占生产总值的比重), or clear it.")
STOCK_ON_A_DAY = _declare(
    "stock-on-a-day", FAMILY_PERIODS, "Stock dated over a span",
    "A figure of a concept the catalogue calls a stock (kind stock: enterprises, population at year end, a rate "
    "reached) is dated over a span instead of on one day.",
    "Set period_start = period_end = the day the stock is counted (年末: 12-31); if the catalogue's kind is "
    "wrong, correct it.")

# --- a source's arithmetic -----------------------------------------------------------------
PART_EXCEEDS_WHOLE = _declare(
    "part-exceeds-whole", FAMILY_ARITHMETIC, "Part larger than its whole",
    "A part (catalogue part_of) is larger than its whole in the same source, place, period and status.",
    "Check both rows against the source; acknowledge the warning if the source itself is wrong.", severity="warning")
PARTS_SUM = _declare(
    "parts-sum", FAMILY_ARITHMETIC, "Parts do not add up",
    "The parts of a whole whose catalogue row says its parts add up (parts_add_up) are all given for one source, "
    "place, period and status, and differ from the whole by more than the rounding of the figures as stated.",
    "Check each row against the source (a typo in one part); acknowledge the warning if the source itself is "
    "inconsistent.", severity="warning")
SHARES_SUM = _declare(
    "shares-sum", FAMILY_ARITHMETIC, "Shares do not add up",
    "The shares of one whole in one quote add up to more than 100, or the parts of a ratio a:b:c to other than 100, "
    "beyond the rounding of the figures as stated.",
    "Check each share against the quote; acknowledge the warning if the source itself is inconsistent.",
    severity="warning")

# --- provenance --------------------------------------------------------------------------
SOURCE_FILE = _declare(
    "source-file", FAMILY_PROVENANCE, "Source text missing", "A source's text file does not exist or cannot be read.",
    "Add the text with `jiutai-data add-source`.")
SOURCE_SHA256 = _declare(
    "source-sha256", FAMILY_PROVENANCE, "Source text changed", "A source text does not match the `sha256` it was "
    "registered with.", "Restore the text byte for byte as published; a new version is a new source.")
QUOTE_VERBATIM = _declare(
    "quote-verbatim", FAMILY_PROVENANCE, "Quote not verbatim",
    "A quote that is not in its source text; the message shows where it differs, or names a near match.",
    "Copy the quote from the source text instead of typing it.")
NUMBER_IN_QUOTE = _declare(
    "number-in-quote", FAMILY_PROVENANCE, "Stated number not in the quote",
    "The stated number is not a whole number of the quote, so `22` does not stand in `220`; Chinese numerals "
    "such as 两 and 三 are parsed.", "Write the number as the quote does, or quote the sentence that states it.")
UNIT_IN_QUOTE = _declare(
    "unit-in-quote", FAMILY_PROVENANCE, "Stated unit not after its number",
    "The stated unit does not follow the stated number in the quote; only 余, 多 or 个 may stand between them.",
    "Write the unit exactly as the quote does.")
NAME_IN_QUOTE = _declare(
    "name-in-quote", FAMILY_PROVENANCE, "Name not in its quote",
    "A row's Chinese name (of a project, plan or designation) does not stand in its quote; a name the text "
    "splits (“北菜南运”规模化园区) must have each part between quotation marks in the quote.",
    "Write the name exactly as the source does, or widen the quote to the words that name it.")

# --- coverage ----------------------------------------------------------------------------
NUMBER_COVERED = _declare(
    "number-covered", FAMILY_COVERAGE, "Number in no quote",
    "A number written in digits in a source text that lies inside no quote of `indicators`, `projects`, `plans` "
    "or `omissions`; the finding gives its line and context.",
    "Extract it as a row, or list it in `omissions` with the reason.")

# --- periods and status ----------------------------------------------------------------------
PERIOD_ORDER = _declare(
    "period-order", FAMILY_PERIODS, "Period ends before it starts",
    "`period_start` after `period_end`, or `horizon_start` after `horizon_end`.", "Swap or correct the dates.")
ACTUAL_AFTER_PUBLICATION = _declare(
    "actual-after-publication", FAMILY_PERIODS, "Actual figure after publication",
    "An `actual` figure whose period ends after its source was published.",
    "Mark it `estimate` (预计) or correct the period.")
TARGET_BEFORE_PUBLICATION = _declare(
    "target-before-publication", FAMILY_PERIODS, "Target before publication",
    "A target whose horizon ends before its source was published.", "Correct the horizon or the status.")

STARTED_AFTER_PUBLICATION = _declare(
    "started-after-publication", FAMILY_PERIODS, "Plan begun after publication",
    "A plan `done` or `under_way` whose horizon begins after its source was published.",
    "Mark it `planned`, or correct the horizon.")
PLANNED_BEFORE_PUBLICATION = _declare(
    "planned-before-publication", FAMILY_PERIODS, "Plan ended before publication",
    "A `planned` plan whose horizon ends before its source was published.",
    "Mark it `done`, or correct the horizon.")

# --- row IDs, catalogue, ranges ---------------------------------------------------------------
ID_SOURCE = _declare(
    "id-source", FAMILY_IDS, "ID of another source",
    "An ID (`<source_id>--<slug>`) whose prefix is not the row's own `source_id`.",
    "Start the ID with the row's `source_id` and `--`.")
ID_INDICATOR = _declare(
    "id-indicator", FAMILY_IDS, "Indicator ID without its code",
    "An indicator ID whose slug does not contain its indicator code in kebab-case.",
    "Write the indicator code, with hyphens, in the slug.")
ID_REFERENCE = _declare(
    "id-reference", FAMILY_IDS, "Cited ID that is no row",
    "A note or reason citing an ID (`<source_id>--<slug>` of a known source) that is no row's ID.",
    "Correct the cited ID.")
CATALOGUE_UNIT = _declare(
    "catalogue-unit", FAMILY_CATALOGUE, "Level in another unit than its catalogue's",
    "A level whose base unit is not the base unit of its indicator's unit in `catalogue`.",
    "Correct the unit, or the indicator code.")
UNUSED_TOPIC = _declare(
    "unused-topic", FAMILY_CATALOGUE, "Topic no row has",
    "A row of `topics` that no row of any table refers to: an empty page of the data browser.",
    "Remove the topic, or give it to the rows it was meant for.", severity="warning")
RANGE_COMPLETE = _declare(
    "range-complete", FAMILY_RANGES, "Range given in part",
    "A range (qualifier `range`) without both bounds, or bounds without that qualifier.",
    "Give both bounds and the qualifier `range`, or neither.")
RANGE_CONVERSION = _declare(
    "range-conversion", FAMILY_RANGES, "Upper bound does not match its stated number",
    "An upper bound that is not its number as stated × the unit's factor.", "Recompute the upper bound.")
RANGE_ORDER = _declare(
    "range-order", FAMILY_RANGES, "Upper bound not above the lower",
    "An upper bound that is not above the lower bound.", "Swap or correct the bounds.")
RANGE_IN_QUOTE = _declare(
    "range-in-quote", FAMILY_RANGES, "Upper bound not in the quote",
    "An upper bound whose stated number is not in the quote.", "Quote the words that state both bounds.")
QUALIFIER_GIVEN = _declare(
    "qualifier-given", FAMILY_RANGES, "Target without its qualifier",
    "A plan whose target number and qualifier are not given together.",
    "Give the qualifier the source states (e.g. 左右, 以上) with the target, or neither.")

# --- twins and integrity (build outputs) ----------------------------------------------------------
_twin = dict(build_output=True)
TWIN_MISSING = _declare(
    "twin-missing", FAMILY_TWINS, "Parquet twin missing", "The descriptor declares a Parquet file that does not exist.",
    _REBUILD, **_twin)
TWIN_UNREADABLE = _declare(
    "twin-unreadable", FAMILY_TWINS, "Parquet twin unreadable", "A Parquet twin that cannot be read.", _REBUILD, **_twin)
TWIN_COLUMNS = _declare(
    "twin-columns", FAMILY_TWINS, "Parquet twin's columns differ", "The twin's columns are not the schema's, in order.",
    _REBUILD, **_twin)
TWIN_TYPE = _declare(
    "twin-type", FAMILY_TWINS, "Parquet twin's type differs", "A column of the twin has a type that does not fit the "
    "schema.", _REBUILD, **_twin)
TWIN_ROW_MISSING = _declare(
    "twin-row-missing", FAMILY_TWINS, "Row missing from the Parquet twin", "A row of the CSV is not in the twin.",
    _REBUILD, **_twin)
TWIN_ROW_EXTRA = _declare(
    "twin-row-extra", FAMILY_TWINS, "Extra row in the Parquet twin", "The twin holds rows the CSV does not.",
    _REBUILD, **_twin)
TWIN_VALUE = _declare(
    "twin-value", FAMILY_TWINS, "Parquet twin's value differs", "A cell of the twin differs from the CSV.",
    _REBUILD, **_twin)
RESOURCE_BYTES = _declare(
    "resource-bytes", FAMILY_TWINS, "Stale `bytes`", "A resource's declared `bytes` is not the size of its file.",
    _REBUILD, **_twin)
RESOURCE_HASH = _declare(
    "resource-hash", FAMILY_TWINS, "Stale or malformed `hash`", "A resource's declared `hash` does not match its file, "
    f"or names an algorithm other than {', '.join(SUPPORTED_HASH_ALGORITHMS[:-1])} or {SUPPORTED_HASH_ALGORITHMS[-1]}.",
    _REBUILD, **_twin)

LEFTOVER_TEMPORARY_FILE = _declare(
    "leftover-temporary-file", FAMILY_TWINS, "Leftover temporary file",
    "A temporary file an interrupted build left in `data/`; it is not published.",
    "Run `jiutai-data build`, which removes it.", severity="warning", build_output=True)
UNDECLARED_FILE = _declare(
    "undeclared-file", FAMILY_TWINS, "Undeclared file",
    "A file in `data/` that no resource or source declares; it is not published.",
    "Declare it, or remove it.", severity="warning")

# --- consistency (warnings) ---------------------------------------------------------------------
REVISION = _declare(
    "revision", FAMILY_CONSISTENCY, "Revised figure",
    "Two sources give different values for the same indicator, region, measure and period. Both rows are kept, "
    "and both values and sources are named.", "Nothing, if the later source revised the figure; otherwise "
    "correct the row.", severity="warning")
ONE_FIGURE_TWO_FACTS = _declare(
    "one-figure-two-facts", FAMILY_CONSISTENCY, "One figure, two facts",
    "The same stated number in the same quote of one source recorded, for the same indicator and measure, for "
    "two periods or two regions: a copied row whose period or region was changed.",
    "Correct the copied row's period or region, or its quote.")
YOY_LEVELS = _declare(
    "yoy-levels", FAMILY_CONSISTENCY, "Change disagrees with the levels",
    "A `yoy_change` differs by more than 0.5 percentage points from the change implied by two consecutive levels.",
    "Check both levels and the change against their quotes; a revised base or comparable prices may explain it.",
    severity="warning")

# --- acknowledgements -------------------------------------------------------------------
ACKNOWLEDGEMENT_UNMATCHED = _declare(
    "acknowledgement-unmatched", FAMILY_ACKNOWLEDGEMENTS, "Acknowledgement matches no warning",
    "A row of `acknowledgements` that matches no warning of the run: the warning is gone, the row names an "
    "error (which must be fixed, not acknowledged), or its finding code, table or row ID is misspelt.",
    "Remove the row once its warning is gone; fix an error instead of acknowledging it; correct a misspelt "
    "code, table or row ID.", severity="warning")

# --- the contract and history (validate/checks/contract.py, history.py, files.py) ------------------
CONTRACT = _declare(
    "contract", FAMILY_PACKAGE, "Schema weaker than the contract",
    "A Table Schema (or the descriptor) that guarantees less than the library's contract (model/contract.py): a "
    "table or field removed, a type or format changed, `required` or `unique` dropped, an enum widened, a pattern "
    "changed, a bound loosened, the primary key or a foreign key dropped or changed. A schema may be stricter, and "
    "may add fields and tables.",
    "Restore the guarantee in the schema. To change the contract itself, change the library: edit the schema, "
    "run `python -m jiutai_data.model.contract schemas` and have the change reviewed as code.")
CONTRACT_OPTION = _declare(
    "contract-option", FAMILY_PACKAGE, "Option that changes what a cell means",
    "A `missingValues` other than `[\"\"]`, a `compression`, an `encoding` other than UTF-8, or a `decimalChar` "
    "or `groupChar` on a resource, its dialect or a schema: readers would read the same cells as other values.",
    "Remove the option; write the cells as plain UTF-8 CSV text.")
STRAY_PART_FILE = _declare(
    "stray-part-file", FAMILY_PACKAGE, "Stray part file",
    "A file in a partitioned table's folder that its resource does not list: hive readers of the folder read it "
    "as rows of the table.", "Remove the file, or list it in the resource's `path`.")
BASE_UNREADABLE = _declare(
    "base-unreadable", FAMILY_PACKAGE, "Base revision unreadable",
    "`validate --base REF` could not read the package at the git revision REF (no such revision, no git "
    "repository, or no `datapackage.json` there), so the history was not checked.",
    "Name a revision that holds the package, e.g. `origin/main` after `git fetch`.")
SOURCE_TEXT_CHANGED = _declare(
    "source-text-changed", FAMILY_PROVENANCE, "Source text changed",
    "With `validate --base REF`: the text of a source that already existed at REF differs from its text there "
    "(even with its `sha256` updated): every quote of it was checked against the old text.",
    "Restore the text. A corrected or longer document is a new source with its own ID.")
EXISTING_ROW_CHANGED = _declare(
    "existing-row-changed", FAMILY_CONSISTENCY, "Row of an existing source changed",
    "With `validate --base REF`: a row whose source already existed at REF has a cell that differs from REF; the "
    "message names the table, row ID, column, old and new value.",
    "Nothing, if it corrects the row (say so in the pull request); otherwise restore the cell.", severity="warning")
EXISTING_ROW_REMOVED = _declare(
    "existing-row-removed", FAMILY_CONSISTENCY, "Row of an existing source removed",
    "With `validate --base REF`: a row whose source already existed at REF is gone.",
    "Nothing, if the row was wrong (say so in the pull request); otherwise restore it.", severity="warning")
REVIEWED_IN_FUTURE = _declare(
    "reviewed-in-future", FAMILY_ACKNOWLEDGEMENTS, "Review dated in the future",
    "An acknowledgement whose `reviewed_on` is after today (in every time zone).",
    "Give the day the warning was reviewed.")

# --- build and add-source ---------------------------------------------------------------------
BUILD = _declare(
    "build", FAMILY_TOOLS, "Cannot build",
    "`jiutai-data build` could not convert a table that validation accepted to its Parquet types: a bug, "
    "since what `validate` accepts every verb publishes; nothing was written.",
    "Please report it, with the message.", reported_by=(BUILD,))
TOO_LARGE = _declare(
    "too-large", FAMILY_TOOLS, "Source text too large",
    "A source text larger than `--max-bytes` (20 MiB unless given); it is read no further.",
    "Check that it is the right file, or raise `--max-bytes`.", reported_by=(ADD_SOURCE,))
SOURCES_FILE = _declare(
    "sources-file", FAMILY_TOOLS, "Sources table cannot take a row",
    "`jiutai-data add-source` cannot safely append to the sources CSV file (unreadable, not UTF-8, a byte order "
    "mark, CRLF line ends, or a header other than the schema's); nothing was written.",
    "Run `jiutai-data validate`, fix what it reports, then add the source again.", reported_by=(ADD_SOURCE,))

# --- internal ------------------------------------------------------------------------------------
INTERNAL = _declare(
    "internal", FAMILY_INTERNAL, "Internal error",
    "A check that crashed: a bug in the validator, reported as an error while the other checks still run.",
    "Please report it, with the message.")
