"""The VBA wrappers of ClusterBook's worksheet functions, written by xlwings' own generator.

xlwings writes a VBA function per Python function (``xlwings.udfs.generate_vba_wrapper``, what
its "Import Functions" button runs). That code imports only on Windows (it needs pywin32), and
off Windows xlwings' decorators do nothing, so :func:`wrappers` runs this module as a script in
a fresh interpreter: there it gives pywin32's modules empty stand-ins when they are missing,
puts xlwings' Windows decorators in place, imports the UDF package and prints the wrappers and
each function's help as JSON. The caller's interpreter is left as it was.
"""

from __future__ import annotations

import importlib
import io
import json
import os
import subprocess
import sys
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from clusterbook.domain.errors import ClusterBookError

UDF_MODULE: Final = "clusterbook.udfs"
#: The add-in's file name; xlwings' generator makes an add-in's wrappers pass the active book.
ADDIN_FILE: Final = "ClusterBook.xlam"


@dataclass(frozen=True)
class FunctionHelp:
    """What Excel's Insert Function dialog shows for one function."""

    name: str
    description: str
    arguments: list[str]


@dataclass(frozen=True)
class Wrappers:
    """The generated VBA (one module's code) and the help of each function in it."""

    vba: str
    functions: list[FunctionHelp]


def wrappers(module: str = UDF_MODULE) -> Wrappers:
    """The VBA wrappers of ``module``'s worksheet functions, as xlwings generates them for an
    add-in."""
    source = Path(__file__).resolve().parents[2]
    path = os.pathsep.join(filter(None, [str(source), os.environ.get("PYTHONPATH", "")]))
    result = subprocess.run([sys.executable, "-m", __name__, module], capture_output=True,
                            text=True, encoding="utf-8", timeout=300, check=False,
                            env={**os.environ, "PYTHONPATH": path, "PYTHONIOENCODING": "utf-8"})
    if result.returncode != 0:
        said = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise ClusterBookError(f"xlwings could not write the wrappers of {module}: {said}")
    answer = json.loads(result.stdout)
    return Wrappers(answer["vba"], [FunctionHelp(**item) for item in answer["functions"]])


def stand_in_for_pywin32() -> None:
    """Empty modules under pywin32's names, when pywin32 is missing: enough for
    ``xlwings.udfs`` to import (nothing here calls them)."""
    try:
        importlib.import_module("pythoncom")
        return
    except ImportError:
        pass
    for name in ("pythoncom", "pywintypes", "win32com", "win32com.client"):
        sys.modules[name] = types.ModuleType(name)
    stand_ins: Any = sys.modules
    stand_ins["pythoncom"].CoInitialize = lambda: None
    stand_ins["pywintypes"].com_error = type("com_error", (Exception,), {})
    stand_ins["win32com.client"].Dispatch = lambda *args: None
    stand_ins["win32com"].client = sys.modules["win32com.client"]


def use_windows_decorators() -> Any:
    """Put xlwings' Windows decorators where ``xw.func`` and friends are; returns
    ``xlwings.udfs``."""
    stand_in_for_pywin32()
    import xlwings
    import xlwings.udfs as windows

    xlwings.func, xlwings.arg, xlwings.ret = windows.xlfunc, windows.xlarg, windows.xlret
    xlwings.sub = xlwings.script = windows.xlsub
    return windows


def _main(module_name: str) -> None:
    windows = use_windows_decorators()
    module = importlib.import_module(module_name)
    vba = io.StringIO()
    windows.generate_vba_wrapper(module_name, module, vba, types.SimpleNamespace(Name=ADDIN_FILE))
    functions = []
    for attribute in sorted(dir(module)):
        info = getattr(getattr(module, attribute), "__xlfunc__", None)
        if info is None:
            continue
        functions.append({"name": info["name"], "description": info["ret"]["doc"] or "",
                          "arguments": [arg["doc"] or "" for arg in info["args"]
                                        if not arg["vba"]]})
    print(json.dumps({"vba": vba.getvalue(), "functions": functions}))


if __name__ == "__main__":
    _main(sys.argv[1] if len(sys.argv) > 1 else UDF_MODULE)
