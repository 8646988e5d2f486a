"""What Excel on Windows gets from ``UDF MODULES = clusterbook.udfs``.

xlwings' decorators do nothing off Windows, so a fresh interpreter runs xlwings' real Windows
decorators and its own discovery and VBA generator (see ``xlwings_registration.py``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import clusterbook
from clusterbook.forms import MICROPLAN
from clusterbook.templates.form_book import check_formula

SRC = Path(clusterbook.__file__).parent.parent
PROBE = Path(__file__).with_name("xlwings_registration.py")

SIGNATURES = {
    "CLUSTER_STATUS": ["pca", "refusals", "[benchmarks]", "[rounds]", "[refusal_threshold]",
                       "[exit_benchmark]"],
    "CLUSTER_FLAGS": ["pca_table", "refusal_table", "[benchmarks]", "[round_labels]",
                      "[rounds]", "[refusal_threshold]", "[exit_benchmark]"],
    "PCA_BENCHMARK": ["pca", "[children_surveyed]"],
    "MICROPLAN_CHECK": ["identification", "team", "mapping", "issues", "activities",
                        "supervision", "review", "sign_off"],
    "CCPM_SCORE": ["answers", "[answer_scale]"],
    "CCPM_STATUS": ["score"],
}


def registration(module: str = "clusterbook.udfs", extra_path: Path | None = None) -> dict:
    path = os.pathsep.join(str(p) for p in (extra_path, SRC) if p)
    result = subprocess.run([sys.executable, str(PROBE), module], capture_output=True,
                            text=True, env={**os.environ, "PYTHONPATH": path}, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def registered() -> dict:
    return registration()


def test_every_function_is_registered_once_under_its_name(registered):
    functions = {f["name"]: f for f in registered["functions"]}
    assert set(functions) == set(SIGNATURES)
    for name, function in functions.items():
        assert function["attribute_names"] == [name]
    assert registered["unexported"] == []


def test_signatures_as_excel_shows_them(registered):
    for function in registered["functions"]:
        shown = [f"[{arg['name']}]" if arg["optional"] else arg["name"]
                 for arg in function["args"]]
        assert shown == SIGNATURES[function["name"]]
        # An omitted or empty optional argument means "the default", decided inside.
        assert {arg["default"] for arg in function["args"] if arg["optional"]} <= {"None"}


def test_category_descriptions_and_argument_help_for_insert_function(registered):
    for function in registered["functions"]:
        assert function["category"] == "ClusterBook"
        description = function["description"]
        assert 40 <= len(description) <= 255 and "\n" not in description
        assert not description.startswith("Python function")
        for arg in function["args"]:
            assert not arg["doc"].startswith("Positional argument"), arg
            assert 10 <= len(arg["doc"]) <= 255
            assert arg["doc"].startswith("Optional") == arg["optional"], arg


def test_conversions_are_ones_xlwings_knows(registered):
    for function in registered["functions"]:
        assert function["result_converter_known"], function["name"]
        assert not function["volatile"] and function["async_mode"] is None
        for arg in function["args"]:
            assert arg["converter_known"], (function["name"], arg["name"])
            assert arg["vba"] is None
    functions = {f["name"]: f for f in registered["functions"]}
    # Tables arrive as rows even when a sheet holds one cluster or one round.
    assert [arg["name"] for arg in functions["CLUSTER_FLAGS"]["args"] if arg["ndim"] == 2] == [
        "pca_table", "refusal_table"]
    assert [arg["ndim"] for arg in functions["CCPM_STATUS"]["args"]] == [2]
    # The live check receives its blocks as ranges (values, sheet and address); every other
    # argument arrives as values.
    check = functions["MICROPLAN_CHECK"]["args"]
    assert [arg["name"] for arg in check] == [section.key for section in MICROPLAN.sections]
    assert {arg["convert"] for arg in check} == {"range"}
    assert "range" not in {arg["convert"] for name, function in functions.items()
                           if name != "MICROPLAN_CHECK" for arg in function["args"]}


def test_the_template_calls_the_live_check_as_registered(registered):
    functions = {f["name"]: f for f in registered["functions"]}
    formula = check_formula(MICROPLAN)
    name, _, arguments = formula.removeprefix("=").partition("(")
    assert name == MICROPLAN.live_check and name in functions
    assert len(arguments.rstrip(")").split(",")) == len(functions[name]["args"])


def test_the_vba_wrappers_xlwings_generates(registered):
    vba = registered["vba"]
    assert ("Function CLUSTER_STATUS(pca, refusals, Optional benchmarks, Optional rounds, "
            "Optional refusal_threshold, Optional exit_benchmark)") in vba
    assert ('CLUSTER_FLAGS = XLPy.CallUDF("clusterbook.udfs", "CLUSTER_FLAGS", '
            'Array(pca_table, refusal_table, benchmarks, round_labels, rounds, '
            'refusal_threshold, exit_benchmark)') in vba
    assert ('MICROPLAN_CHECK = XLPy.CallUDF("clusterbook.udfs", "MICROPLAN_CHECK", '
            'Array(identification, team, mapping, issues, activities, supervision, review, '
            'sign_off)') in vba
    assert "Function CCPM_SCORE(answers, Optional answer_scale)" in vba
    assert vba.count("End Function") == len(SIGNATURES)


def test_a_function_left_out_of_the_package_is_caught(tmp_path):
    package = tmp_path / "extra_udfs"
    package.mkdir()
    (package / "__init__.py").write_text("from extra_udfs.first import FIRST\n")
    for name in ("first", "second"):
        (package / f"{name}.py").write_text(textwrap.dedent(f'''
            from clusterbook.udfs.register import excel_function

            @excel_function(x="A number to give back.")
            def {name.upper()}(x):
                """Gives its argument back, for the registration test only."""
                return x
        '''))
    found = registration("extra_udfs", tmp_path)
    assert [f["name"] for f in found["functions"]] == ["FIRST"]
    assert found["unexported"] == ["extra_udfs.second.SECOND"]
