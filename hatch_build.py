"""Bundle the data package into the wheel, under jiutai_data/package/, where
`paths.default_package_dir` finds it, so that an installed package can `load` its tables.

An editable install gets no copy: it reads the clone's own files, which a copy made at
install time would only shadow with stale data.
"""

from __future__ import annotations

import os
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class BundleDataPackage(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version == "editable":
            return
        for path in self.config.get("bundle", []):
            build_data["force_include"][os.path.join(self.root, path)] = f"jiutai_data/package/{path}"
