"""The import contract: ClusterBook's layers, read from the real import graph.

Every module under ``src/clusterbook`` is parsed; every import counts, at any depth (lazy
imports in functions and imports for type checking too). Importing ``a.b.c`` also runs
``a/__init__.py`` and ``a/b/__init__.py``, so it is an arrow to each of them.

A module may import its own layer and the layers below it, never one above; the jobs import
no other job (the demo job excepted: it runs the others, by their public functions); and no
module reaches itself again through its imports (no cycles). The domain and the forms stay
free of Excel and Qt libraries.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import clusterbook

PACKAGE = Path(clusterbook.__file__).parent

DOMAIN, ADAPTERS, JOBS, EDGES = 1, 3, 4, 5
LAYER_NAMES = {DOMAIN: "domain", ADAPTERS: "adapters", JOBS: "jobs", EDGES: "edges"}

#: The architecture: module prefix -> layer (the longest prefix that fits decides).
LAYERS: dict[str, int] = {
    "clusterbook": DOMAIN,                # the package root: version, domain re-exports
    "clusterbook.domain": DOMAIN,         # the rules; pure pandas and stdlib
    # One schema per form. The forms import nothing of the domain, but the domain's checks,
    # merge and CCPM scoring read the schemas: the two are one layer (no cycle between them).
    "clusterbook.forms": DOMAIN,
    "clusterbook.excel": ADAPTERS,        # read and write workbooks, the add-in
    "clusterbook.udfs": ADAPTERS,         # the worksheet functions
    "clusterbook.templates": ADAPTERS,    # the blank templates and the data book
    "clusterbook.reports": ADAPTERS,      # the books the jobs write
    "clusterbook.consolidate": ADAPTERS,  # review book, ledger, reading submissions
    "clusterbook.ccpm": ADAPTERS,         # CCPM survey and report readers
    "clusterbook.sample": ADAPTERS,       # the demo's made-up region
    "clusterbook.styles": ADAPTERS,
    "clusterbook.workers": ADAPTERS,
    "clusterbook.outputs": ADAPTERS,
    "clusterbook.jobs": JOBS,             # one module per job
    "clusterbook.cli": EDGES,             # what people start: the command line,
    "clusterbook.commands": EDGES,
    "clusterbook.launcher": EDGES,        # the launcher,
    "clusterbook.macros": EDGES,          # the Excel buttons
    "clusterbook.__main__": EDGES,
}
#: Shared by every job.
JOBS_SHARED = ("clusterbook.jobs", "clusterbook.jobs.progress")
#: The one job that runs other jobs (through their public functions only).
JOB_OF_JOBS = "clusterbook.jobs.demo"

FORBIDDEN_IN_DOMAIN = ("xlwings", "openpyxl", "python_calamine", "xlsxwriter", "PySide6",
                       "PyQt5", "PyQt6")


@dataclass(frozen=True)
class Arrow:
    """``source`` imports ``target`` (``names``: what it takes from it, when it says)."""

    source: str
    target: str
    names: tuple[str, ...] = ()


def module_name(path: Path, root: Path, package: str) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join((package, *parts))


def package_modules(root: Path, package: str) -> dict[str, Path]:
    """Every module of the package at ``root``, by name."""
    return {module_name(path, root, package): path for path in sorted(root.rglob("*.py"))}


def imports_of(path: Path) -> list[tuple[str, tuple[str, ...]]]:
    """(module, names taken from it) for every import in a file, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[str, tuple[str, ...]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, ()) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                raise AssertionError(f"{path}: use absolute imports ({node.module})")
            assert node.module is not None
            found.append((node.module, tuple(alias.name for alias in node.names)))
    return found


def arrows(modules: Mapping[str, Path], package: str) -> list[Arrow]:
    """Every arrow between modules of the package, parents run on the way counted."""
    found = []
    for source, path in modules.items():
        own_parents = {".".join(source.split(".")[:depth])
                       for depth in range(1, source.count(".") + 1)}
        for imported, names in imports_of(path):
            if imported.split(".")[0] != package:
                continue
            targets = [imported, *(f"{imported}.{name}" for name in names
                                   if f"{imported}.{name}" in modules)]
            for target in targets:
                parts = target.split(".")
                for depth in range(1, len(parts) + 1):
                    reached = ".".join(parts[:depth])
                    # The importer's own parents ran before it: no arrow back to them.
                    if reached in own_parents or reached == source or reached not in modules:
                        continue
                    found.append(Arrow(source, reached, names if reached == imported else ()))
    return found


def layer_of(module: str, layers: Mapping[str, int]) -> int | None:
    fitting = [prefix for prefix in layers
               if module == prefix or module.startswith(prefix + ".")]
    return layers[max(fitting, key=len)] if fitting else None


def violations(found: Iterable[Arrow], layers: Mapping[str, int],
               shared: Iterable[str] = JOBS_SHARED, job_of_jobs: str = JOB_OF_JOBS
               ) -> list[str]:
    """Arrows that break the contract, as sentences."""
    shared = set(shared)
    problems = []
    for arrow in found:
        source, target = layer_of(arrow.source, layers), layer_of(arrow.target, layers)
        if source is None or target is None:
            unmapped = arrow.source if source is None else arrow.target
            problems.append(f"{unmapped} belongs to no layer")
        elif target > source:
            problems.append(f"{arrow.source} ({LAYER_NAMES[source]}) imports {arrow.target} "
                            f"({LAYER_NAMES[target]}): an arrow up")
        elif source == JOBS and target == JOBS and arrow.target not in shared \
                and arrow.source not in shared and arrow.source != job_of_jobs:
            problems.append(f"{arrow.source} imports the job {arrow.target}")
        if target == JOBS and (source != JOBS or arrow.source == job_of_jobs):
            private = [name for name in arrow.names if name.startswith("_")]
            if private:
                problems.append(f"{arrow.source} takes {', '.join(private)} from "
                                f"{arrow.target}: a job's internals")
    return sorted(set(problems))


def cycles(found: Iterable[Arrow]) -> list[list[str]]:
    """Each group of modules that import each other round in a circle, as one cycle through
    them (Tarjan's strongly connected components)."""
    graph: dict[str, set[str]] = {}
    for arrow in found:
        graph.setdefault(arrow.source, set()).add(arrow.target)
        graph.setdefault(arrow.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph[node]:
                groups.append(group)

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(_a_cycle(graph, group) for group in groups)


def _a_cycle(graph: Mapping[str, set[str]], group: set[str]) -> list[str]:
    """One circle through a group, from its first module back to it (breadth first)."""
    start = min(group)
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for nxt in sorted(graph[node] & group):
                if nxt == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(came_from[path[-1]])
                    return [*reversed(path), start]
                if nxt not in came_from:
                    came_from[nxt] = node
                    following.append(nxt)
        frontier = following
    raise AssertionError(f"no cycle through {sorted(group)}")


def graph_of(root: Path, package: str) -> tuple[dict[str, Path], list[Arrow]]:
    modules = package_modules(root, package)
    return modules, arrows(modules, package)


MODULES, ARROWS = graph_of(PACKAGE, "clusterbook")

#: The drawing of the layers in the docs (Graphviz source and the picture made from it).
DRAWING = PACKAGE.parent.parent / "docs" / "architecture.dot"
LAYER_TITLES = {EDGES: "What people start", JOBS: "Jobs", ADAPTERS: "Files: read, write, build",
                DOMAIN: "Rules and forms"}


def drawn_as(module: str) -> str | None:
    """The box a module is drawn in: a package, or each job on its own."""
    parts = module.split(".")
    if len(parts) == 1 or parts[1] == "__main__":
        return None
    if parts[1] == "jobs":
        return ".".join(parts[1:3]) if len(parts) > 2 else None
    return "command line" if parts[1] in ("cli", "commands") else parts[1]


def drawing(found: Iterable[Arrow], layers: Mapping[str, int]) -> str:
    """The import graph as Graphviz source, a box per package (a job per box), grouped by
    layer from the top down. Arrows into the domain and the forms are left out: every layer
    uses them, and the contract checks them like any other."""
    bottom = {name for name, layer in layers.items() if layer == DOMAIN}
    boxes: dict[str, int] = {}
    lines = set()
    for arrow in found:
        for module in (arrow.source, arrow.target):
            box = drawn_as(module)
            if box is not None:
                boxes[box] = layer_of(module, layers) or 0
        source, target = drawn_as(arrow.source), drawn_as(arrow.target)
        if source and target and source != target and \
                f"clusterbook.{target}" not in bottom:
            lines.add(f'  "{source}" -> "{target}";')
    text = ["digraph clusterbook {",
            "  rankdir=TB; newrank=true; nodesep=0.25; ranksep=0.9;",
            '  node [shape=box, style="rounded,filled", fillcolor=white, '
            'fontname="DejaVu Sans", fontsize=11];',
            '  edge [color="#00000055", arrowsize=0.6];']
    for layer, title in LAYER_TITLES.items():
        members = " ".join(f'"{box}";' for box in sorted(boxes) if boxes[box] == layer)
        text += [f'  subgraph cluster_{LAYER_NAMES[layer]} {{',
                 f'    label="{title}"; fontname="DejaVu Sans"; style=filled; '
                 f'fillcolor="#f2f2f2"; color="#cccccc";',
                 f"    {members}", "  }"]
        if layer != ADAPTERS:
            text.append(f"  {{ rank=same; {members} }}")
    # The rules at the bottom, under everything that uses them.
    text += [f'  "{above}" -> "{rules}" [style=invis];'
             for above in ("styles", "udfs") for rules in ("domain", "forms")]
    return "\n".join([*text, *sorted(lines), "}", ""])


def test_every_module_belongs_to_a_layer():
    assert [name for name in MODULES if layer_of(name, LAYERS) is None] == []


def test_no_arrow_points_up_and_no_job_imports_another():
    found = violations(ARROWS, LAYERS)
    assert found == [], "\n".join(found)


def test_no_module_imports_itself_round_a_cycle():
    found = cycles(ARROWS)
    assert found == [], "\n".join(" → ".join(cycle) for cycle in found)


def test_the_drawing_in_the_docs_is_the_real_graph():
    assert DRAWING.read_text(encoding="utf-8") == drawing(ARROWS, LAYERS), (
        "the layers drawn in docs/ are out of date: run 'python3 tests/test_architecture.py'")


def test_the_graph_sees_lazy_imports_and_the_parents_they_run():
    targets = {arrow.target for arrow in ARROWS if arrow.source == "clusterbook.commands.merge"}
    # ``from clusterbook.jobs.merge import ...`` inside ``run`` runs clusterbook/jobs/__init__.
    assert {"clusterbook.jobs", "clusterbook.jobs.merge"} <= targets


def _write(root: Path, files: Mapping[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_the_contract_catches_an_arrow_up_a_job_in_a_job_its_internals_and_a_cycle(tmp_path):
    root = tmp_path / "toy"
    _write(root, {
        "__init__.py": "",
        "domain/__init__.py": "",
        "domain/rules.py": "def f():\n    from toy.jobs.flags import run\n",
        "excel/__init__.py": "",
        "excel/a.py": "import toy.excel.b\n",
        "excel/b.py": "from toy.excel import c\n",
        "excel/c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                      "    from toy.excel.a import A\n",
        "jobs/__init__.py": "",
        "jobs/progress.py": "",
        "jobs/flags.py": "from toy.jobs.progress import Progress\nfrom toy.domain import rules\n",
        "jobs/merge.py": "from toy.jobs.flags import run\n",
        "jobs/demo.py": "from toy.jobs.flags import run, _secret\n",
        "cli.py": "from toy.jobs.flags import run\nfrom toy.jobs.merge import _merge\n",
    })
    layers = {"toy": DOMAIN, "toy.domain": DOMAIN, "toy.excel": ADAPTERS, "toy.jobs": JOBS,
              "toy.cli": EDGES}
    _, found = graph_of(root, "toy")
    assert violations(found, layers, ("toy.jobs", "toy.jobs.progress"), "toy.jobs.demo") == [
        "toy.cli takes _merge from toy.jobs.merge: a job's internals",
        "toy.domain.rules (domain) imports toy.jobs (jobs): an arrow up",
        "toy.domain.rules (domain) imports toy.jobs.flags (jobs): an arrow up",
        "toy.jobs.demo takes _secret from toy.jobs.flags: a job's internals",
        "toy.jobs.merge imports the job toy.jobs.flags",
    ]
    # domain.rules -> jobs.flags -> domain.rules (lazily), and a -> b -> c -> a through a
    # name taken from a package and an import made only for type checking.
    assert cycles(found) == [
        ["toy.domain.rules", "toy.jobs.flags", "toy.domain.rules"],
        ["toy.excel.a", "toy.excel.b", "toy.excel.c", "toy.excel.a"],
    ]
    # A module outside the table is named.
    assert violations([Arrow("toy.cli", "elsewhere.stray")], layers) == [
        "elsewhere.stray belongs to no layer"]


def test_domain_and_forms_import_no_excel_or_qt_library():
    offenders = sorted(
        f"{name} imports {imported}"
        for name, path in MODULES.items() if layer_of(name, LAYERS) == DOMAIN
        for imported, _ in imports_of(path)
        if imported.split(".")[0] in FORBIDDEN_IN_DOMAIN)
    assert offenders == []


def test_importing_the_domain_loads_no_excel_or_qt_library():
    code = ("import sys, clusterbook.domain.rules, clusterbook.domain.summary, "
            "clusterbook.domain.findings\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in "
            "('openpyxl', 'xlsxwriter', 'python_calamine', 'xlwings', 'PySide6')]\n"
            "print(','.join(bad))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, env={"PYTHONPATH": str(PACKAGE.parent)})
    assert result.stdout.strip() == ""


if __name__ == "__main__":
    # Redraw docs/architecture.dot, and its picture where Graphviz is at hand.
    import shutil

    DRAWING.write_text(drawing(ARROWS, LAYERS), encoding="utf-8")
    if shutil.which("dot"):
        subprocess.run(["dot", "-Tpng", "-Gdpi=80", str(DRAWING), "-o",
                        str(DRAWING.with_suffix(".png"))], check=True)
