"""The structure holds: the layers of pyproject's import-linter contracts, no private core names
used from the front ends, and no decisions on a task's name outside its task module."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

from bertdesk.core.tasks import TASKS

PACKAGE = Path(__file__).resolve().parents[1] / "bertdesk"
FRONT_ENDS = ("gui", "cli", "app")


def _modules(*parts: str):
    for part in parts:
        yield from sorted((PACKAGE / part).rglob("*.py"))


def test_import_contracts_hold():
    importlinter_cli = pytest.importorskip("importlinter.cli")
    cwd = os.getcwd()
    os.chdir(PACKAGE.parent)
    try:
        code = importlinter_cli.lint_imports(config_filename=str(PACKAGE.parent / "pyproject.toml"), no_cache=True,
                                             no_logo=True)
    finally:
        os.chdir(cwd)
    assert code == importlinter_cli.EXIT_STATUS_SUCCESS


def _private_uses(tree: ast.AST) -> list[str]:
    """``from bertdesk... import _x`` and ``module._x`` on a bertdesk module imported by name."""
    found, modules = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("bertdesk")):
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"line {node.lineno}: import {alias.name}")
                modules.add(alias.asname or alias.name)     # may be a module ("from .. import data as D")
        elif isinstance(node, ast.Import):
            modules.update(a.asname or a.name.split(".")[0] for a in node.names if a.name.startswith("bertdesk"))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules
                and node.attr.startswith("_") and not node.attr.startswith("__")):
            found.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
    return found


def test_front_ends_use_no_private_core_names():
    problems = {str(p.relative_to(PACKAGE)): uses for p in _modules(*FRONT_ENDS)
                if (uses := _private_uses(ast.parse(p.read_text(encoding="utf-8"))))}
    assert problems == {}


def test_the_private_name_check_finds_both_kinds():
    tree = ast.parse("from bertdesk.core.data import _match_name\nfrom ..core import data as D\nD._sniff(1)\n")
    assert len(_private_uses(tree)) == 2


def _task_name_branches(tree: ast.AST) -> list[int]:
    """Lines that compare with a task's name or key a table by it (``task == "qa"``, ``{"ner": ...}``)."""
    names = set(TASKS)

    def is_name(node) -> bool:
        if isinstance(node, ast.Constant):
            return node.value in names
        return isinstance(node, (ast.Tuple, ast.List, ast.Set)) and any(is_name(e) for e in node.elts)

    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and any(is_name(n) for n in [node.left, *node.comparators]):
            lines.append(node.lineno)
        elif isinstance(node, ast.Dict) and any(k is not None and is_name(k) for k in node.keys):
            lines.append(node.lineno)
        elif isinstance(node, ast.match_case) and is_name(getattr(node.pattern, "value", None)):
            lines.append(node.pattern.lineno)
    return lines


def test_no_task_name_branches_outside_the_task_modules():
    branches = {str(p.relative_to(PACKAGE)): lines for p in PACKAGE.rglob("*.py")
                if "tasks" not in p.relative_to(PACKAGE).parts[:2]
                and (lines := _task_name_branches(ast.parse(p.read_text(encoding="utf-8"))))}
    assert branches == {}


def test_the_branch_check_finds_branches():
    tree = ast.parse('if task == "qa": pass\nx = name in ("ner", "qa")\nCARDS = {"classify": 1}\n')
    assert _task_name_branches(tree) == [1, 2, 3]
