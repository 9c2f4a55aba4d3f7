"""The contract: what each table of the package guarantees, declared once, in the library.

A pull request edits ``schemas/`` and the data together, so the schemas cannot be what the
data is checked against *for* the schemas: a PR that loosens ``indicators.measure``'s enum
and writes ``qoq_change`` rows in the same change would be valid by its own rules. The
contract is the library's own copy of the parts of the schemas that carry a guarantee,
committed under ``src/`` (``model/contract/tables.json``), where a change is a change of
the library, reviewed as code. ``validate`` (validate/checks/contract.py) refuses a schema or
descriptor that weakens it.

What the contract holds, per table (acknowledgements, catalogue, designations, indicators,
omissions, plans, projects, regions, sources, topics, units): each field's ``type`` and
``format``, its ``trueValues``/``falseValues`` where declared, and its constraints
``required``, ``unique``, ``enum``, ``pattern``, ``minimum``, ``maximum``,
``exclusiveMinimum``, ``exclusiveMaximum``, ``minLength`` and ``maxLength``; the table's
``primaryKey``, its ``foreignKeys`` and its ``missingValues``. Descriptions, titles and field
order are not guarantees and are not in it.

What a schema may do (``weakenings`` returns nothing for it):

- be stricter: add a constraint the contract does not have (a pattern, an enum, a bound,
  ``required``, ``unique``), narrow an enum, raise a lower bound or lower an upper one,
  declare a primary key or a foreign key the contract does not have;
- add fields (optional or required: a new field guarantees more, never less) and add tables
  (a resource whose name the contract does not know is not checked against it).

A package that has none of the contract's tables (another data package checked with these
tools, a one-table test fixture) is not required to have them; a package with any of them
must have all of them.

What it may not do (each is a ``contract`` error naming the file, table, field and guarantee):
drop a table or a field, change a type or format, drop ``required`` or ``unique``, widen or drop
an enum, change or drop a pattern, loosen or drop a bound or length, drop or change the
primary key, drop or change a foreign key, or change ``missingValues``, ``trueValues`` or
``falseValues``.

Besides the schemas, options of the descriptor that change what a cell means are refused
(``contract-option``) unless ALLOWED_OPTIONS allows their value: ``missingValues`` other than
the contract's (``[""]``), ``compression``, an ``encoding`` other than UTF-8, ``decimalChar`` and
``groupChar`` (on a resource or in its dialect; on a field, model/support.py refuses them).

Growing the contract (a new table, a new guarantee) is a change to this library: edit the
schemas, then regenerate the contract from them and commit both::

    python -m jiutai_data.model.contract schemas

which rewrites ``src/jiutai_data/model/contract/tables.json`` (``generate_contract`` below).
tests/test_contract.py fails if the committed schemas and the committed contract differ, so
the two cannot drift silently.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Any

CONTRACT_FILE = Path(__file__).with_name("contract") / "tables.json"

# The field properties and constraints that carry a guarantee (everything else is prose).
FIELD_PROPERTIES = ("type", "format", "trueValues", "falseValues")
CONSTRAINTS = ("required", "unique", "enum", "pattern", "minimum", "maximum", "exclusiveMinimum",
               "exclusiveMaximum", "minLength", "maxLength")
DEFAULT_MISSING_VALUES = [""]
# Descriptor options that change what a cell means, and the values the contract allows for each
# (an option absent is always allowed). ``missingValues`` of a schema is checked against the
# table's contract instead.
ALLOWED_OPTIONS: dict[str, tuple[Any, ...]] = {
    "encoding": ("utf-8", "utf8"),   # compared in lower case
    "compression": (),                # none: a compressed CSV is read as plain text by some tools
    "decimalChar": (".",),
    "groupChar": (),
    "missingValues": (),              # on a resource or dialect; a schema's is the contract's
}


def _key(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(name, str) for name in value):
        return list(value)
    return None


def foreign_key(entry: Any) -> dict[str, Any] | None:
    """A foreign key in the contract's normal form: {"fields": [...], "resource": ..., "reference": [...]}."""
    if not isinstance(entry, dict) or not isinstance(entry.get("reference"), dict):
        return None
    local, remote = _key(entry.get("fields")), _key(entry["reference"].get("fields"))
    resource = entry["reference"].get("resource", "")
    if local is None or remote is None or not isinstance(resource, str):
        return None
    return {"fields": local, "resource": resource, "reference": remote}


def contract_of_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The guarantee-carrying parts of one Table Schema, in the contract's form."""
    fields = []
    for field in schema.get("fields", []):
        entry: dict[str, Any] = {"name": field["name"], "type": field.get("type", "string")}
        entry.update({name: field[name] for name in FIELD_PROPERTIES[1:] if name in field})
        constraints = field.get("constraints") or {}
        entry.update({name: constraints[name] for name in CONSTRAINTS
                      if name in constraints and constraints[name] is not False})
        fields.append(entry)
    return {
        "fields": fields,
        "primaryKey": _key(schema.get("primaryKey")) or [],
        "foreignKeys": [fk for fk in map(foreign_key, schema.get("foreignKeys", [])) if fk is not None],
        "missingValues": schema.get("missingValues", DEFAULT_MISSING_VALUES),
    }


def generate_contract(schemas: Path) -> dict[str, Any]:
    """The contract of every ``*.json`` Table Schema in the folder ``schemas`` (table = file stem)."""
    tables = {}
    for path in sorted(Path(schemas).glob("*.json")):
        tables[path.stem] = contract_of_schema(json.loads(path.read_text(encoding="utf-8")))
    return {
        "about": "What each table guarantees; generated from schemas/ by `python -m jiutai_data.model.contract "
                 "schemas` (model/contract.py). Edit the schemas, regenerate, and commit both.",
        "tables": tables,
    }


def write_contract(schemas: Path, into: Path = CONTRACT_FILE) -> Path:
    into.parent.mkdir(parents=True, exist_ok=True)
    into.write_text(json.dumps(generate_contract(schemas), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return into


@functools.lru_cache(maxsize=1)
def load_contract() -> dict[str, dict[str, Any]]:
    """Table name -> its contract, as committed with the library."""
    return json.loads(CONTRACT_FILE.read_text(encoding="utf-8"))["tables"]


# --------------------------------------------------------------------------- comparing


def _words(values: Any) -> str:
    return ", ".join(str(v) for v in values) if isinstance(values, list) else json.dumps(values, ensure_ascii=False)


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _comparable(kind: str, value: Any) -> Any:
    from jiutai_data.model.fields import constraint_value

    try:
        return constraint_value(kind, value)
    except (ValueError, TypeError):
        return None


def _lower_kept(kind: str, want: dict[str, Any], have: dict[str, Any]) -> str | None:
    """Why ``have``'s lower bound is looser than ``want``'s, or None."""
    for bound, inclusive in (("minimum", True), ("exclusiveMinimum", False)):
        if bound not in want:
            continue
        limit = _comparable(kind, want[bound])
        candidates = []
        if "minimum" in have:
            value = _comparable(kind, have["minimum"])
            candidates.append(value is not None and limit is not None and (value >= limit if inclusive else value > limit))
        if "exclusiveMinimum" in have:
            value = _comparable(kind, have["exclusiveMinimum"])
            candidates.append(value is not None and limit is not None and value >= limit)
        if not any(candidates):
            now = ", ".join(f"{b} {_shown(have[b])}" for b in ("minimum", "exclusiveMinimum") if b in have) or "none"
            return f"{bound} loosened (now {now}); the contract requires {bound} {_shown(want[bound])}"
    return None


def _upper_kept(kind: str, want: dict[str, Any], have: dict[str, Any]) -> str | None:
    for bound, inclusive in (("maximum", True), ("exclusiveMaximum", False)):
        if bound not in want:
            continue
        limit = _comparable(kind, want[bound])
        candidates = []
        if "maximum" in have:
            value = _comparable(kind, have["maximum"])
            candidates.append(value is not None and limit is not None and (value <= limit if inclusive else value < limit))
        if "exclusiveMaximum" in have:
            value = _comparable(kind, have["exclusiveMaximum"])
            candidates.append(value is not None and limit is not None and value <= limit)
        if not any(candidates):
            now = ", ".join(f"{b} {_shown(have[b])}" for b in ("maximum", "exclusiveMaximum") if b in have) or "none"
            return f"{bound} loosened (now {now}); the contract requires {bound} {_shown(want[bound])}"
    return None


def _field_weakenings(want: dict[str, Any], field: dict[str, Any]) -> list[str]:
    """Each way ``field`` (as declared in a schema) guarantees less than ``want`` (its contract)."""
    found = []
    kind = field.get("type", "string")
    if kind != want["type"]:
        return [f"type changed from {want['type']} to {kind}; the contract requires {want['type']}"]
    if (field.get("format") or "default") != (want.get("format") or "default"):
        found.append(f"format changed from {want.get('format') or 'default'} to {field.get('format') or 'default'}; "
                     f"the contract requires {want.get('format') or 'default'}")
    for name in ("trueValues", "falseValues"):
        if field.get(name) != want.get(name):
            found.append(f"{name} changed to {_shown(field.get(name)) if name in field else 'the default'}; "
                         f"the contract requires {_shown(want[name]) if name in want else 'the default'}")
    constraints = field.get("constraints") if isinstance(field.get("constraints"), dict) else {}
    for flag in ("required", "unique"):
        if want.get(flag) and constraints.get(flag) is not True:
            found.append(f"{flag} dropped; the contract requires {flag}: true")
    if "enum" in want:
        allowed = want["enum"]
        have = constraints.get("enum")
        if not isinstance(have, list):
            found.append(f"enum dropped; the contract allows {_words(allowed)}")
        else:
            wanted = {json.dumps(_comparable(kind, v) if _comparable(kind, v) is not None else v, default=str)
                      for v in allowed}
            extra = [v for v in have
                     if json.dumps(_comparable(kind, v) if _comparable(kind, v) is not None else v, default=str)
                     not in wanted]
            if extra:
                found.append(f"enum widened by {', '.join(repr(v) for v in extra)}; the contract allows {_words(allowed)}")
    if "pattern" in want and constraints.get("pattern") != want["pattern"]:
        now = _shown(constraints["pattern"]) if "pattern" in constraints else "none"
        found.append(f"pattern changed from {_shown(want['pattern'])} to {now}; the contract requires "
                     f"{_shown(want['pattern'])}")
    for problem in (_lower_kept(kind, want, constraints), _upper_kept(kind, want, constraints)):
        if problem:
            found.append(problem)
    if "minLength" in want:
        have = constraints.get("minLength")
        if not (isinstance(have, int) and not isinstance(have, bool) and have >= want["minLength"]):
            found.append(f"minLength loosened (now {_shown(have) if have is not None else 'none'}); the contract "
                         f"requires minLength {want['minLength']}")
    if "maxLength" in want:
        have = constraints.get("maxLength")
        if not (isinstance(have, int) and not isinstance(have, bool) and have <= want["maxLength"]):
            found.append(f"maxLength loosened (now {_shown(have) if have is not None else 'none'}); the contract "
                         f"requires maxLength {want['maxLength']}")
    return found


def _fk_words(fk: dict[str, Any]) -> str:
    return f"{', '.join(fk['fields'])} → {fk['resource'] or '(this table)'}.{', '.join(fk['reference'])}"


def weakenings(contract: dict[str, Any], schema: dict[str, Any]) -> list[tuple[str | None, str]]:
    """Each way ``schema`` guarantees less than the table's ``contract``: (field or None, what)."""
    found: list[tuple[str | None, str]] = []
    raw_fields = schema.get("fields") if isinstance(schema.get("fields"), list) else []
    declared = {f["name"]: f for f in raw_fields if isinstance(f, dict) and isinstance(f.get("name"), str)}
    for want in contract["fields"]:
        name = want["name"]
        if name not in declared:
            found.append((name, f"field removed; the contract requires it ({want['type']})"))
            continue
        found += [(name, problem) for problem in _field_weakenings(want, declared[name])]
    if contract["primaryKey"]:
        have = _key(schema.get("primaryKey"))
        if have != contract["primaryKey"]:
            now = ", ".join(have) if have else "none"
            found.append((None, f"primaryKey changed (now {now}); the contract requires {', '.join(contract['primaryKey'])}"))
    have_fks = [fk for fk in map(foreign_key, schema.get("foreignKeys") or [] if isinstance(schema.get("foreignKeys"), list) else [])
                if fk is not None]
    for want in contract["foreignKeys"]:
        if want in have_fks:
            continue
        same_fields = [fk for fk in have_fks if fk["fields"] == want["fields"]]
        field = want["fields"][0] if len(want["fields"]) == 1 else None
        if same_fields:
            found.append((field, f"foreign key {_fk_words(want)} changed to {_fk_words(same_fields[0])}; the contract "
                                 f"requires {_fk_words(want)}"))
        else:
            found.append((field, f"foreign key {_fk_words(want)} dropped; the contract requires it"))
    missing = schema.get("missingValues", DEFAULT_MISSING_VALUES)
    if missing != contract["missingValues"]:
        found.append((None, f"missingValues changed to {_shown(missing)}; the contract requires "
                            f"{_shown(contract['missingValues'])} (any other value turns cells into nulls)"))
    return found


def option_problems(resource: dict[str, Any], skip: tuple[str, ...] = ()) -> list[str]:
    """Options of a resource (or of its dialect) that change what a cell means and that ALLOWED_OPTIONS does not allow."""
    found = []
    places: list[tuple[str, dict[str, Any]]] = [("", resource)]
    dialect = resource.get("dialect")
    if isinstance(dialect, dict):
        places.append(("dialect.", dialect))
        if isinstance(dialect.get("csv"), dict):
            places.append(("dialect.csv.", dialect["csv"]))
    for prefix, where in places:
        for option, allowed in ALLOWED_OPTIONS.items():
            if option not in where or (not prefix and option in skip):
                continue
            value = where[option]
            normal = value.strip().lower() if isinstance(value, str) and option == "encoding" else value
            if normal in allowed:
                continue
            shown = ", ".join(_shown(v) for v in allowed)
            found.append(f"{prefix}{option} {_shown(value)} changes what a cell means; the contract allows "
                         f"{shown if shown else 'no ' + option} (remove the option)")
    return found


def main(argv: list[str] | None = None) -> int:
    """``python -m jiutai_data.model.contract SCHEMAS``: regenerate the committed contract from SCHEMAS."""
    args = sys.argv[1:] if argv is None else argv
    schemas = Path(args[0] if args else "schemas")
    if not schemas.is_dir():
        print(f"{schemas} is not a folder of Table Schemas", file=sys.stderr)
        return 2
    print(f"wrote {write_contract(schemas)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
