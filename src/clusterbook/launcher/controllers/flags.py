"""The Flags page: round data in, statuses, the district summary and a chart out."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clusterbook.domain.errors import InputError
from clusterbook.domain.rule_parameters import (
    DEFAULT_BENCHMARK,
    DEFAULT_PARAMETERS,
    BenchmarkChoice,
    BenchmarkMethod,
    Status,
)
from clusterbook.jobs.progress import Job, Progress
from clusterbook.launcher.settings import Settings
from clusterbook.outputs import output_file

if TYPE_CHECKING:
    import pandas as pd

    from clusterbook.jobs.flags import FlagsResult

PAGE = "flags"
INPUT_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm")
#: The statuses, most concern first.
STATUSES = tuple(status.label for status in reversed(Status))
#: Columns of the status table, as the flags book shows them.
#: Status and reasons come right after the cluster, so they stay in sight on a narrow window.
TABLE_COLUMNS = ("priority", "cluster_code", "cluster_name", "status", "reasons", "district",
                 "province", "entered_round", "rounds_on_list", "pca_coverage", "refusal_rate",
                 "benchmark", "missed_children")


@dataclass
class FlagsController:
    """State and jobs of the Flags page."""

    settings: Settings
    input_path: Path | None = None
    rounds: int = DEFAULT_PARAMETERS.rounds
    refusal_threshold: float = DEFAULT_PARAMETERS.refusal_threshold
    exit_benchmark: float = DEFAULT_PARAMETERS.exit_benchmark
    benchmark: BenchmarkChoice = DEFAULT_BENCHMARK
    result: FlagsResult | None = None
    shown_round: Hashable | None = None
    _headers: dict[str, str] = field(default_factory=dict)

    def choose_input(self, path: Path | str) -> None:
        """Take a round data file the user picked or dropped."""
        path = Path(path)
        if path.suffix.lower() not in INPUT_SUFFIXES:
            raise InputError(f"'{path.name}' is not round data: choose a .csv or .xlsx file "
                             f"with one row per cluster per round")
        if not path.is_file():
            raise InputError(f"'{path}' does not exist")
        self.input_path = path
        self.result = None
        self.settings.remember(PAGE, path)

    def rule_options(self) -> dict[str, Any]:
        return {"rounds": self.rounds, "refusal_threshold": self.refusal_threshold,
                "exit_benchmark": self.exit_benchmark, "benchmark": self.benchmark}

    def job(self) -> Job:
        """The job that classifies the chosen file."""
        if self.input_path is None:
            raise InputError("choose a round data file first")
        path, options = self.input_path, self.rule_options()

        def work(progress: Progress) -> FlagsResult:
            from clusterbook.jobs.flags import FlagsRequest, run_flags

            return run_flags(FlagsRequest(path, rules=options), progress)

        return Job(f"Flagging clusters in {path.name}", work)

    def save_job(self, out: Path | str) -> Job:
        """The job that writes the shown flags as a book (.xlsx) or table (.csv)."""
        result = self._require_result()
        out = Path(out)
        source = self.input_path.name if self.input_path else ""
        output_file(out, inputs=[self.input_path] if self.input_path else [],
                    endings=(".xlsx", ".csv"))

        def work(progress: Progress) -> Path:
            from clusterbook.jobs.flags import write_flags

            progress(0, 1, f"Writing {out.name}")
            write_flags(result.flags, out, parameters=result.parameters, source=source)
            progress(1, 1, "Done")
            return out

        self.settings.remember(PAGE + "-out", out)
        return Job(f"Saving {out.name}", work)

    def databook_job(self, out: Path | str) -> Job:
        """Fill the campaign data book from the chosen round data, formulas left live."""
        if self.input_path is None:
            raise InputError("choose a round data file first")
        path, out, options = self.input_path, Path(out), self.rule_options()
        if options["benchmark"] == BenchmarkMethod.WEIGHTED:
            raise InputError("the data book's formulas use the regional mean or a fixed "
                             "benchmark; choose one of those for the data book")
        output_file(out, inputs=[path], writes="campaign-databook")

        def work(progress: Progress) -> Path:
            from clusterbook.jobs.databook import DataBookRequest, run_databook

            return run_databook(DataBookRequest(path, out, rules=options), progress).out

        self.settings.remember(PAGE + "-out", out)
        return Job(f"Filling the data book {out.name}", work)

    def accept(self, result: FlagsResult) -> None:
        """Show a finished job's result, at its last round."""
        self.result = result
        self.shown_round = self.round_labels()[-1]

    def _require_result(self) -> FlagsResult:
        if self.result is None:
            raise InputError("run the flags first")
        return self.result

    def round_labels(self) -> list[Hashable]:
        return self.result.rounds if self.result is not None else []

    def headline(self) -> str:
        """One sentence about the shown round, in the words the CLI uses."""
        if self.result is None:
            return "Choose round data (CSV or XLSX, one row per cluster per round) and run."
        table = self.result.summary_at(self.shown_round)
        region = table[table["level"] == "region"].iloc[0]
        return (f"In {self.shown_round}: {int(region['low_performing']):,} of "
                f"{int(region['clusters']):,} clusters low performing "
                f"({int(region['newly_listed']):,} newly listed, {int(region['left_list']):,} "
                f"left the list), {int(region['watch']):,} on watch, "
                f"{int(region['no_data']):,} with no data.")

    def table(self, status: str = "", text: str = "") -> pd.DataFrame:
        """The status table of the shown round, filtered, highest priority first."""
        from clusterbook.reports.flags_book import FLAG_COLUMNS

        rows = self._require_result().statuses_at(self.shown_round)
        if status:
            rows = rows[(rows["status"] == status).to_numpy()]
        if text:
            needle = text.casefold()
            haystack = (rows["cluster_code"].astype(str) + " " + rows["cluster_name"].astype(str)
                        + " " + rows["district"].astype(str) + " " + rows["province"].astype(str))
            rows = rows[haystack.str.casefold().str.contains(needle, regex=False).to_numpy()]
        headers = {key: header for key, header, *_ in FLAG_COLUMNS}
        shown = rows[[column for column in TABLE_COLUMNS if column in rows.columns]]
        return shown.rename(columns=headers).reset_index(drop=True)

    def summary(self) -> pd.DataFrame:
        """Counts per district in the shown round, with headers an officer reads."""
        from clusterbook.domain.summary import summary_headers

        result = self._require_result()
        table = result.summary_at(self.shown_round)
        return table.drop(columns=["level"]).rename(columns=summary_headers(result.parameters))

    def listed_per_district(self) -> list[tuple[str, int]]:
        """(district, low-performing clusters) in the shown round, for the chart."""
        table = self._require_result().summary_at(self.shown_round)
        districts = table[table["level"] == "district"]
        return [(str(row.district), int(row.low_performing))
                for row in districts.itertuples(index=False)]
