"""The checks: each takes the package's typed frames and returns findings.

structure, keys and hygiene are run by validate/run.py directly. The semantic
checks are listed in SEMANTIC_CHECKS, in the order they run, each as ``lazy("module",
"function")`` so that a module that fails to import becomes an ``internal`` finding naming
it instead of stopping every check. Each check declares, beside its definition, the scope it
needs and the codes it raises (``@declares``, checks/declare.py); the runners plan from that.
A new code is declared in model/codes.py (which documents it) and gets a trigger in
tests/test_finding_codes.py.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable

from jiutai_data.model.findings import Finding
from jiutai_data.model.frames import PackageFrames
from jiutai_data.validate.checks.declare import Declaration, declaration_of

Check = Callable[[PackageFrames], list[Finding]]


@dataclass(frozen=True)
class LazyCheck:
    """``jiutai_data.validate.checks.<module>.<function>``, imported only when it runs or is planned."""

    module: str
    function: str

    @property
    def name(self) -> str:
        return f"{self.module}.{self.function}"

    def load(self) -> Check:
        return getattr(importlib.import_module(f"jiutai_data.validate.checks.{self.module}"), self.function)

    @property
    def declaration(self) -> Declaration:
        """The scope and codes the check declares (importing its module: may raise, as a run would)."""
        return declaration_of(self.load())

    def __call__(self, *args: Any) -> list[Finding]:
        return self.load()(*args)


def lazy(module: str, function: str) -> LazyCheck:
    return LazyCheck(module, function)


SEMANTIC_CHECKS: list[LazyCheck] = [
    lazy("keys", "check_foreign_key_targets"),
    lazy("keys", "check_hierarchies_have_no_cycles"),
    lazy("files", "check_files_in_data_are_declared"),
    lazy("contract", "check_schemas_keep_the_contract"),
    lazy("units", "check_units_are_known"),
    lazy("units", "check_full_width_units_agree"),
    lazy("units", "check_unit_factors_follow_their_definitions"),
    lazy("units", "check_values_match_their_units"),
    lazy("units", "check_stated_quantities_are_complete"),
    lazy("units", "check_value_ranges"),
    lazy("provenance", "check_source_files_match_their_hashes"),
    lazy("provenance", "check_quotes_are_verbatim"),
    lazy("provenance", "check_stated_numbers_stand_in_their_quotes"),
    lazy("provenance", "check_stated_units_follow_their_numbers"),
    lazy("provenance", "check_names_stand_in_their_quotes"),
    lazy("coverage", "check_numbers_are_covered_by_quotes"),
    lazy("figures", "check_directions_are_words_of_the_quote"),
    lazy("figures", "check_falls_are_signed"),
    lazy("figures", "check_units_are_not_cut_short"),
    lazy("figures", "check_comparisons_name_their_base"),
    lazy("figures", "check_shares_name_their_whole"),
    lazy("figures", "check_stocks_are_dated_on_a_day"),
    lazy("arithmetic", "check_parts_add_up_to_their_wholes"),
    lazy("arithmetic", "check_shares_add_up"),
    lazy("ranges", "check_ranges_keep_both_bounds"),
    lazy("ranges", "check_qualifiers_go_with_their_numbers"),
    lazy("ids", "check_ids_name_their_source"),
    lazy("ids", "check_cited_ids_exist"),
    lazy("catalogue", "check_levels_use_their_catalogue_unit"),
    lazy("catalogue", "check_every_topic_is_used"),
    lazy("periods", "check_periods_are_ordered"),
    lazy("periods", "check_status_agrees_with_publication"),
    lazy("twins", "check_parquet_twins_match_csv"),
    lazy("twins", "check_resource_bytes_and_hashes"),
    lazy("consistency", "check_revisions_across_sources"),
    lazy("consistency", "check_yoy_changes_agree_with_levels"),
    lazy("consistency", "check_one_figure_is_one_fact"),
    lazy("names", "check_names_do_not_collide"),
    lazy("names", "check_text_has_no_noncharacters"),
    lazy("history", "check_reviews_are_not_dated_in_the_future"),
]

# Run by validate/run.py before the semantic checks (with the reader's cast failures) and,
# with --base, after them; listed here so that every check's declaration can be read in one place.
CORE_CHECKS: list[LazyCheck] = [lazy("structure", "check_structure"), lazy("keys", "check_foreign_keys"),
                                lazy("hygiene", "check_text_hygiene")]
BASE_CHECK = lazy("history", "check_against_base")


def raised_by() -> dict[str, list[LazyCheck]]:
    """Finding code -> the checks that declare they raise it (for the documentation of each code)."""
    found: dict[str, list[LazyCheck]] = {}
    for check in [*CORE_CHECKS, *SEMANTIC_CHECKS, BASE_CHECK]:
        for code in sorted(check.declaration.raises):
            found.setdefault(code, []).append(check)
    return found
