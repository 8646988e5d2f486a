"""The rule's parameters have one home: every surface offers the framework's defaults from
it, and the engine hands back the parameters it applied beside its flags."""

from __future__ import annotations

import argparse

import openpyxl
import pandas as pd
import pytest

from clusterbook.cli import build_parser
from clusterbook.commands.options import benchmark_choice
from clusterbook.domain.errors import InputError
from clusterbook.domain.rule_parameters import (
    BENCHMARK_CHOICES,
    DEFAULT_BENCHMARK,
    DEFAULT_PARAMETERS,
    PERCENTS,
    STATUS_LABELS,
    BenchmarkMethod,
    RuleParameters,
    Status,
    benchmark_method,
)
from clusterbook.domain.rules import classify
from clusterbook.forms.databook import PARAMETERS
from clusterbook.launcher.controllers.flags import STATUSES, FlagsController
from clusterbook.launcher.settings import Settings
from clusterbook.templates.databook import write_databook


def test_the_framework_defaults():
    assert (DEFAULT_PARAMETERS.rounds, DEFAULT_PARAMETERS.refusal_threshold,
            DEFAULT_PARAMETERS.exit_benchmark) == (3, 10.0, 95.0)
    assert DEFAULT_BENCHMARK == "mean"
    assert BENCHMARK_CHOICES == ("mean", "weighted", 95.0, 90.0)


@pytest.mark.parametrize("command", ["flags", "databook"])
def test_the_command_line_offers_the_defaults_and_says_them(command, capsys):
    args = build_parser().parse_args([command, "rounds.csv", "--out", "out.xlsx"])
    assert (args.rounds, args.refusal_threshold, args.exit_benchmark, args.benchmark) == (
        DEFAULT_PARAMETERS.rounds, DEFAULT_PARAMETERS.refusal_threshold,
        DEFAULT_PARAMETERS.exit_benchmark, DEFAULT_BENCHMARK)
    with pytest.raises(SystemExit):
        build_parser().parse_args([command, "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    for said in ("leave the list (default 3)", "above this percent (default 10)",
                 "above this percent (default 95)", "NUMBER|mean|weighted"):
        assert said in help_text


def test_the_command_line_reads_benchmark_methods_in_any_case():
    args = build_parser().parse_args(["flags", "rounds.csv", "--benchmark", "Weighted"])
    assert args.benchmark is BenchmarkMethod.WEIGHTED
    with pytest.raises(SystemExit):
        build_parser().parse_args(["flags", "rounds.csv", "--exit-benchmark", "101"])


def test_the_launcher_starts_from_the_defaults(tmp_path):
    controller = FlagsController(Settings.load(tmp_path / "launcher.json"))
    assert controller.rule_options() == {
        "rounds": DEFAULT_PARAMETERS.rounds,
        "refusal_threshold": DEFAULT_PARAMETERS.refusal_threshold,
        "exit_benchmark": DEFAULT_PARAMETERS.exit_benchmark, "benchmark": "mean"}
    assert STATUSES == ("Low performing", "Watch", "On track", "No data")


def test_the_blank_data_book_holds_the_defaults(tmp_path):
    path = write_databook(tmp_path / "blank.xlsx")
    sheet = openpyxl.load_workbook(path)[PARAMETERS.sheet]
    typed = {key: sheet.cell(PARAMETERS.row_of(key), PARAMETERS.value_column).value
             for key in ("rounds", "refusal_threshold", "exit_benchmark")}
    assert typed == {"rounds": 3, "refusal_threshold": 10, "exit_benchmark": 95}


def test_benchmark_methods_percents_and_statuses():
    assert benchmark_method(None) is BenchmarkMethod.MEAN
    assert benchmark_method("MEAN") is BenchmarkMethod.MEAN
    assert benchmark_method(90) is None
    assert 0 in PERCENTS and 100 in PERCENTS and 100.01 not in PERCENTS
    assert float("nan") not in PERCENTS
    assert [status.label for status in Status] == list(STATUS_LABELS)
    assert Status(3).label == "Low performing"
    with pytest.raises(InputError, match="percent from 0 to 100"):
        RuleParameters(exit_benchmark=100.5)
    with pytest.raises(InputError, match="whole number of 1 or more"):
        RuleParameters(rounds=0)


def test_the_engine_hands_back_the_parameters_it_applied():
    frame = pd.DataFrame({
        "province": "P", "district": "D", "cluster_code": ["A"] * 3 + ["B"] * 3,
        "round": ["R1", "R2", "R3"] * 2,
        "pca_coverage": [85, 88, 89, 96, 97, 98], "refusal_rate": [12, 11, 15, 0, 0, 0]})
    classified = classify(frame, rounds=2, exit_benchmark=96.5)
    assert classified.parameters == RuleParameters(2, 10.0, 96.5)
    assert classified.rounds == ["R1", "R2", "R3"]
    assert "parameters" not in classified.flags.attrs
    last = classified.flags[classified.flags["round"] == "R3"].set_index("cluster_code")
    assert last.loc["A", "status"] == "Low performing"
    assert last.loc["A", "reasons"] == "PCA below benchmark x3; Refusal above 10% x3"
    assert last.loc["B", "status"] == "On track"


def test_an_unknown_benchmark_word_is_refused():
    with pytest.raises(argparse.ArgumentTypeError, match="'mean' or 'weighted'"):
        benchmark_choice("median")
