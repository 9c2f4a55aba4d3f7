"""The code layout tree (docs/architecture.md, moved there from the README) lists every module of
src/jiutai_data/, once, each with a line saying what it does, and nothing that does not exist."""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "src" / "jiutai_data"
ARCHITECTURE = REPO / "docs" / "architecture.md"
HEADING = "# Architecture: how the code is laid out"
# "│   ├── name.py   what it does": the name starts after the tree drawing, 4 columns a level
ENTRY = re.compile(r"^(?P<indent>(?:[│ ] {3})*)(?:├── |└── )(?P<name>\S+)(?P<rest>.*)$")


def listed_tree(readme: str) -> list[tuple[str, str]]:
    """(path relative to src/jiutai_data, description) of every entry of the page's tree."""
    section = readme.split(HEADING, 1)[1].split("\n## ", 1)[0]
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
        entries.append(("/".join([*folders, name.rstrip("/")]), match["rest"].strip()))
        if name.endswith("/"):
            folders.append(name.rstrip("/"))
    return entries


def _only_a_docstring(path: Path) -> bool:
    body = ast.parse(path.read_text(encoding="utf-8")).body
    return all(isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) for node in body)


def modules() -> set[str]:
    """Every module; an __init__.py that holds only a docstring is its folder's line."""
    return {path.relative_to(SOURCE).as_posix() for path in SOURCE.rglob("*.py")
            if not (path.name == "__init__.py" and path.parent != SOURCE and _only_a_docstring(path))}


def folders() -> set[str]:
    return {path.relative_to(SOURCE).as_posix() for path in SOURCE.rglob("*")
            if path.is_dir() and (path / "__init__.py").is_file()}


def test_the_tree_lists_every_module_and_folder_once_and_nothing_else() -> None:
    entries = listed_tree(ARCHITECTURE.read_text(encoding="utf-8"))
    names = [name for name, _ in entries]
    assert len(names) == len(set(names)), "an entry is listed twice"
    listed_modules = {name for name in names if name.endswith(".py")}
    assert sorted(modules() - listed_modules) == [], "modules missing from docs/architecture.md"
    assert sorted(listed_modules - modules()) == [], "docs/architecture.md lists modules that do not exist"
    assert {name for name in names if not name.endswith(".py")} == folders()


def test_every_entry_says_what_it_holds() -> None:
    entries = listed_tree(ARCHITECTURE.read_text(encoding="utf-8"))
    assert [name for name, description in entries if len(description.split()) < 3] == []


def test_the_parser_reads_nesting_and_catches_a_missing_module(tmp_path: Path) -> None:
    readme = (f"{HEADING}\n\n```text\nsrc/jiutai_data/\n├── cli.py     the command line\n"
              "└── model/     the model of it\n    └── fields.py  every type once here\n```\n")
    assert listed_tree(readme) == [("cli.py", "the command line"), ("model", "the model of it"),
                                   ("model/fields.py", "every type once here")]
    assert "model/package.py" in modules() - {name for name, _ in listed_tree(readme)}
