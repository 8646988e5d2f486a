"""What xlwings on Windows would register from ``clusterbook.udfs``, found on any system.

Run as a script in a fresh interpreter (it stands in for pywin32 there): it swaps the
no-op decorators xlwings uses off Windows for its real Windows ones (``xlwings.udfs``),
imports the UDF package, and walks it exactly as xlwings' "Import Functions" does: every
attribute of the module that carries ``__xlfunc__``. It prints JSON with each function's
registration and the VBA wrapper module xlwings itself generates.
"""

from __future__ import annotations

import importlib
import io
import json
import pkgutil
import sys
import types


def main(module_name: str) -> None:
    from clusterbook.excel.udf_wrappers import use_windows_decorators

    windows = use_windows_decorators()
    from xlwings.conversion import accessors

    module = importlib.import_module(module_name)

    # xlwings' own discovery (udfs.import_udfs / generate_vba_wrapper).
    found = [value for value in map(lambda attr: getattr(module, attr), dir(module))
             if hasattr(value, "__xlfunc__")]
    functions = []
    for function in found:
        info = function.__xlfunc__
        functions.append({
            "name": info["name"],
            "attribute_names": [a for a in dir(module) if getattr(module, a) is function],
            "category": info["category"],
            "description": info["ret"]["doc"],
            "result_converter_known": info["ret"]["options"].get("convert") in accessors,
            "volatile": info["volatile"],
            "async_mode": info["async_mode"],
            "args": [{
                "name": arg["name"],
                "doc": arg["doc"],
                "optional": "optional" in arg,
                "default": repr(arg.get("optional")),
                "ndim": arg["options"].get("ndim"),
                "convert": convert if isinstance(convert := arg["options"].get("convert"), str)
                else repr(convert),
                "converter_known": arg["options"].get("convert") in accessors,
                "vba": arg["vba"],
            } for arg in info["args"]],
        })

    # Every decorated function of every submodule must be reachable from the package.
    unexported = []
    for submodule in pkgutil.iter_modules(getattr(module, "__path__", [])):
        inner = importlib.import_module(f"{module_name}.{submodule.name}")
        for attr in dir(inner):
            value = getattr(inner, attr)
            if hasattr(value, "__xlfunc__") and getattr(value, "__module__", "") == inner.__name__ \
                    and value not in found:
                unexported.append(f"{inner.__name__}.{attr}")

    vba = io.StringIO()
    windows.generate_vba_wrapper(module_name, module, vba, types.SimpleNamespace(Name="a.xlsm"))
    print(json.dumps({"functions": functions, "unexported": unexported,
                      "vba": vba.getvalue()}))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "clusterbook.udfs")
