"""`jiutai-data publish` (what `make` runs): build, export, site and summary from one validation.

Each of those verbs alone validates the package first. Run one after the other they would
validate it four times and parse every CSV four times; here the package is validated once,
with the cells kept as written for the site, and every step publishes the same frames.
The build rewrites only what it owns (the twins, the descriptor's bytes and hashes, the
README tables), which are the findings it sets aside; so its report is the package's
report once it has run, and export, site and summary use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jiutai_data.publish.build import BuildResult, build_package
from jiutai_data.publish.export import export_package
from jiutai_data.publish.site.build import SiteResult, build_site
from jiutai_data.publish.summary import summarise
from jiutai_data.validate.run import Checked, check_package


@dataclass
class PublishResult:
    build: BuildResult
    exported: list[Path] = field(default_factory=list)
    site: SiteResult | None = None
    summary: str = ""

    @property
    def ok(self) -> bool:
        return self.build.report.valid


def publish_package(root: Path, dist: Path) -> PublishResult:
    """Validate once, then build, export and write the site; stops after a refused build.

    Raises what export and site raise (ExportError, SiteError, DownloadError, OSError)."""
    root, dist = Path(root), Path(dist)
    checked = check_package(root, keep_text=True)
    built = build_package(root, checked)
    result = PublishResult(build=built)
    if not built.report.valid:
        return result
    assert checked.package is not None
    checked.package.descriptor = built.descriptor  # with the bytes and hashes just written
    after_build = Checked(checked.package, checked.frames, built.report)
    result.exported = export_package(root, dist, after_build)
    result.site = build_site(root, dist, checked=after_build)
    result.summary = summarise(root, after_build, dist)
    return result
