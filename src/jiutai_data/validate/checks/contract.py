"""The package's schemas and descriptor against the library's contract (model/contract.py).

A pull request cannot weaken the rules it is checked by: every table the contract names must
be a resource (in a package that has any of them: a package with none, such as another data
package checked with these tools, is not held to this package's tables), and every resource's
Table Schema (the CSV table's and its Parquet twin's, which
may name its own) must guarantee at least what the contract does. Each weakening is one
``contract`` error naming the file, the table, the field and the guarantee. Options of the
descriptor or a schema that change what a cell means (missingValues, compression, encoding,
decimalChar, groupChar) are ``contract-option`` errors, for new tables too. The schemas are
read here as written (a schema that model/support.py refuses is still compared), and nothing
is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jiutai_data.model import codes
from jiutai_data.model.bounded_json import loads_bounded
from jiutai_data.model.contract import DEFAULT_MISSING_VALUES, load_contract, option_problems, weakenings
from jiutai_data.model.findings import Finding
from jiutai_data.model.frames import PackageFrames
from jiutai_data.model.package import DESCRIPTOR, TWIN_SUFFIX, is_table, resolve_inside, symbolic_link_in
from jiutai_data.validate.checks.declare import Scope, declares

CONTRACT_CHECK = codes.CONTRACT
OPTION_CHECK = codes.CONTRACT_OPTION


def _schema(root: Path, reference: Any) -> tuple[dict[str, Any] | None, str]:
    """The schema a resource names, as written, and where it is; None if it cannot be read
    (the reader reports why)."""
    if isinstance(reference, dict):
        return reference, DESCRIPTOR
    if not isinstance(reference, str):
        return None, DESCRIPTOR
    try:
        if symbolic_link_in(root, reference) is not None:
            return None, reference
        schema = loads_bounded(resolve_inside(root, reference).read_text(encoding="utf-8"), reference)
    except Exception:  # unsafe, missing, not JSON: reported by the reader
        return None, reference
    return (schema if isinstance(schema, dict) else None), reference


@declares(Scope.FILES, codes.CONTRACT, codes.CONTRACT_OPTION)
def check_schemas_keep_the_contract(frames: PackageFrames) -> list[Finding]:
    contract = load_contract()
    root = Path(frames.root)
    entries = [e for e in (frames.descriptor or {}).get("resources") or []
               if isinstance(e, dict) and isinstance(e.get("name"), str)]
    names = {e["name"] for e in entries}
    findings: list[Finding] = []
    # A package with none of the contract's tables is not this package (another package checked with
    # these tools, a one-table test fixture): its schemas are checked, its tables are not required.
    holds_the_contract = bool(names & contract.keys())
    for table in contract:
        if holds_the_contract and table not in names:
            findings.append(Finding(table, None, None, CONTRACT_CHECK,
                                    f"{DESCRIPTOR}: table {table} removed; the contract requires a resource named "
                                    f"{table}", path=DESCRIPTOR))
    compared: set[tuple[str, str]] = set()
    for entry in entries:
        name = entry["name"]
        table = name[: -len(TWIN_SUFFIX)] if name.endswith(TWIN_SUFFIX) and name[: -len(TWIN_SUFFIX)] in contract \
            else name
        # the encoding of a CSV resource is refused by model/support.py already (an `encoding` error)
        for problem in option_problems(entry, skip=("encoding",) if is_table(entry) else ()):
            findings.append(Finding(table, None, None, OPTION_CHECK, f"{DESCRIPTOR}: resource {name}: {problem}",
                                    value=name, path=DESCRIPTOR))
        schema, where = _schema(root, entry.get("schema"))
        if schema is None or (where, table) in compared:
            continue
        compared.add((where, table))
        if table not in contract:
            missing = schema.get("missingValues", DEFAULT_MISSING_VALUES)
            if missing != DEFAULT_MISSING_VALUES:
                findings.append(Finding(table, None, None, OPTION_CHECK,
                                        f"{where}: table {table}: missingValues {missing!r} changes what a cell means; "
                                        f"the contract allows only {DEFAULT_MISSING_VALUES!r}", path=where))
            continue
        for field, problem in weakenings(contract[table], schema):
            subject = f"field {field}: " if field else ""
            check = OPTION_CHECK if problem.startswith("missingValues") else CONTRACT_CHECK
            findings.append(Finding(table, None, field, check, f"{where}: table {table}: {subject}{problem}",
                                    path=where))
    return findings
