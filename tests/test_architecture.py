"""The domain stays pure: no Excel library, no Qt, no file-touching part of ClusterBook."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import clusterbook

PACKAGE = Path(clusterbook.__file__).parent
FORBIDDEN_IN_DOMAIN = (
    "xlwings", "openpyxl", "python_calamine", "xlsxwriter", "PySide6", "PyQt5", "PyQt6",
    "clusterbook.excel", "clusterbook.templates", "clusterbook.udfs", "clusterbook.macros",
    "clusterbook.launcher", "clusterbook.consolidate", "clusterbook.cli",
    "clusterbook.commands", "clusterbook.reports",
)


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, absolute, at any depth (lazy imports included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.level:
                raise AssertionError(f"{path}: use absolute imports ({node.module})")
            names.add(node.module)
    return names


def is_forbidden(module: str) -> bool:
    return any(module == banned or module.startswith(banned + ".")
               for banned in FORBIDDEN_IN_DOMAIN)


def test_domain_imports_nothing_that_touches_excel_qt_or_files():
    offenders = {
        f"{path.relative_to(PACKAGE)} imports {module}"
        for path in (PACKAGE / "domain").rglob("*.py")
        for module in imported_modules(path)
        if is_forbidden(module)
    }
    assert not offenders, "\n".join(sorted(offenders))


def test_the_contract_catches_a_forbidden_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    import openpyxl\n    from clusterbook.excel.read import x\n")
    assert {m for m in imported_modules(bad) if is_forbidden(m)} == {
        "openpyxl", "clusterbook.excel.read"}


def test_importing_the_domain_loads_no_excel_or_qt_library():
    code = ("import sys, clusterbook.domain.rules, clusterbook.domain.summary, "
            "clusterbook.domain.findings\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in "
            "('openpyxl', 'xlsxwriter', 'python_calamine', 'xlwings', 'PySide6')]\n"
            "print(','.join(bad))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, env={"PYTHONPATH": str(PACKAGE.parent)})
    assert result.stdout.strip() == ""
