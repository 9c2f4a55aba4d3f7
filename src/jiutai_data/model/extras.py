"""Which extra of jiutai-data brings a missing module, read from the installed package's own
requirements (pyproject.toml's optional dependencies), so the advice never drifts from them."""

from __future__ import annotations

import re
from importlib import metadata

DISTRIBUTION = "jiutai-data"
# The extra to name when the requirements cannot be read (e.g. a source tree run without install).
TOOLCHAIN = "tools"
# The test tools' extra includes the toolchain; it is named only for what nothing else brings.
DEVELOPMENT = "dev"
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?[^;]*(?:;\s*(.*))?$")
_EXTRA = re.compile(r"""extra\s*==\s*["']([^"']+)["']""")


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def extras_providing(module: str) -> list[str]:
    """The extras whose requirements include the distribution of top-level module `module`
    (a distribution is matched by its name: pandas, jieba, datasette, …)."""
    top = _normalised(module.split(".")[0])
    try:
        requirements = metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:
        return []
    extras: list[str] = []
    for requirement in requirements:
        match = _REQUIREMENT.match(requirement)
        if not match or _normalised(match.group(1)) != top:
            continue
        extra = _EXTRA.search(match.group(2) or "")
        if extra and extra.group(1) not in extras:
            extras.append(extra.group(1))
    lighter = [extra for extra in extras if extra != DEVELOPMENT]
    return lighter or extras


def missing_module_message(module: str) -> str:
    """What to install when `module` cannot be imported."""
    extras = extras_providing(module) or [TOOLCHAIN]
    # The toolchain brings everything the verbs need; a smaller extra is named first when there is one.
    choices = " or ".join(f"pip install '{DISTRIBUTION}[{extra}]'" for extra in extras)
    return f"the Python package {module!r} is not installed; it comes with: {choices}"


class MissingExtra(ModuleNotFoundError):
    """A module of an extra is not installed; the message says which extra to install."""


def require(module: str) -> object:
    """`import module`, or MissingExtra naming the extra that brings it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as error:
        if error.name and error.name.split(".")[0] != module.split(".")[0]:
            raise  # the module is there but something it imports is broken: not ours to explain
        raise MissingExtra(missing_module_message(module), name=module) from None


def require_installed(*modules: str) -> None:
    """MissingExtra for the first of `modules` that is not installed; imports nothing."""
    from importlib.util import find_spec

    for module in modules:
        if find_spec(module) is None:
            raise MissingExtra(missing_module_message(module), name=module)
