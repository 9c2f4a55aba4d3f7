"""The code map of docs/architecture.md tells a reader the truth: every module and folder it names is
there to open, and it shows each stage of the layering contract (pyproject.toml, [tool.importlinter])
that the page describes. A module the page does not name yet is no error: the map is for finding one's
way, and the contract, not the page, is what holds the code to its stages."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "src" / "jiutai_data"
ARCHITECTURE = REPO / "docs" / "architecture.md"
HEADING = "# Architecture: how the code is laid out"
# "│   ├── name.py   what it does": the name starts after the tree drawing, 4 columns a level
ENTRY = re.compile(r"^(?P<indent>(?:[│ ] {3})*)(?:├── |└── )(?P<name>\S+)(?P<rest>.*)$")


def listed_tree(page: str) -> list[str]:
    """The path (relative to src/jiutai_data, a folder without its slash) of every entry of the page's tree."""
    section = page.split(HEADING, 1)[1].split("\n## ", 1)[0]
    block = section.split("```text\n", 1)[1].split("```", 1)[0]
    lines = block.splitlines()
    assert lines[0] == "src/jiutai_data/"
    entries, folders = [], []
    for line in lines[1:]:
        match = ENTRY.match(line)
        assert match, f"not a line of the tree: {line!r}"
        depth = len(match["indent"]) // 4
        folders = folders[:depth]
        name = match["name"]
        entries.append("/".join([*folders, name.rstrip("/")]))
        if name.endswith("/"):
            folders.append(name.rstrip("/"))
    return entries


def test_every_module_and_folder_the_page_names_exists() -> None:
    entries = listed_tree(ARCHITECTURE.read_text(encoding="utf-8"))
    assert any("/" in entry for entry in entries), "the tree shows no module inside a folder"
    missing = [entry for entry in entries
               if not ((SOURCE / entry).is_file() if entry.endswith(".py") else (SOURCE / entry / "__init__.py").is_file())]
    assert missing == [], "docs/architecture.md names modules or folders that do not exist"


def test_the_page_shows_each_stage_of_the_layering_contract() -> None:
    contract = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]
    stages = {stage.strip() for layers in contract for layer in layers.get("layers", []) for stage in layer.split("|")}
    top_level = {entry.removesuffix(".py") for entry in listed_tree(ARCHITECTURE.read_text(encoding="utf-8"))
                 if "/" not in entry}
    assert stages and stages <= top_level, stages - top_level
