"""Reading a CCPM survey: responses, question bank, cluster description and participants.

Responses come as the survey tool exports them, CSV or XLSX, in either shape:

* **long**: one row per answer, columns ``respondent_id, respondent_role, organisation_type,
  question_id, answer``;
* **wide**: one row per respondent, one column per question id (a header may also be the id
  followed by the question's text, '2.3a How often ...'), with optional respondent_id,
  respondent_role and organisation_type columns.

The CCPM workbook (``clusterbook.forms.ccpm.CCPM``) holds all four parts in one file. Every
value keeps its file, sheet and cell, so that the findings point at it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from clusterbook.domain.ccpm import (
    ClusterDescription,
    QuestionBank,
    bank_from_tables,
    default_bank,
    organisation_type,
)
from clusterbook.domain.errors import InputError, Location, WorkbookError
from clusterbook.domain.findings import Finding, Severity
from clusterbook.domain.table import header_key
from clusterbook.domain.values import clean_text, is_blank, to_date, to_whole_number
from clusterbook.excel.read import open_workbook, read_sheet
from clusterbook.excel.round_data import CSV_SUFFIXES, read_csv_table
from clusterbook.forms.ccpm import (
    CCPM,
    DESCRIPTION,
    PARTICIPANTS,
    QUESTION_BANK,
    RESPONDENT_FIELDS,
    RESPONSES,
    SCALES,
)
from clusterbook.forms.ccpm_bank import CRISIS_TYPES, Crisis
from clusterbook.forms.cells import column_letter
from clusterbook.forms.schema import FORM_ID_ROW, FORM_SHEET, Field

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
_HEADER_SEARCH_ROWS = 20
#: Headers of the long shape's two answer columns (the respondent columns come from the form).
_LONG_FIELDS = (
    Field("question_id", "question_id", aliases=("Question", "Question ID", "QID", "Item")),
    Field("answer", "answer", aliases=("Response", "Value", "Answer label")),
)
_ID_SHAPE = re.compile(r"^[A-Za-z]{0,3}\d+([._-]\d+)*[A-Za-z]?$")
_FIRST_TOKEN = re.compile(r"^\s*([^\s:]+?)[\s:.)\-–]*(?:\s|:|$)")


@dataclass
class Survey:
    """A CCPM survey as read: the long answers table, the bank, the cluster description and
    the participants, and what was found wrong while reading them."""

    answers: pd.DataFrame
    bank: QuestionBank
    description: ClusterDescription = field(default_factory=ClusterDescription)
    participants: pd.DataFrame | None = None
    findings: list[Finding] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Table:
    """A table found in a file: text headers, rows of values, where each value is."""

    file: str
    sheet: str
    headers: list[str]
    rows: list[list[Any]]
    row_numbers: list[int]
    letters: list[str]
    header_row: int = 1

    def cell(self, position: int, column: int) -> str:
        return f"{self.letters[column]}{self.row_numbers[position]}"


# ------------------------------------------------------------------------------ file access

def _is_workbook(path: Path) -> bool:
    return path.suffix.lower() in WORKBOOK_SUFFIXES


def _check_suffix(path: Path, what: str) -> None:
    if path.suffix.lower() not in (*CSV_SUFFIXES, *WORKBOOK_SUFFIXES):
        raise InputError([(Location(file=path.name), f"{what} must be a .csv or .xlsx file")])


def _csv_table(path: Path) -> _Table:
    frame, source = read_csv_table(path)
    headers = [_header_text(column) for column in frame.columns]
    rows = frame.astype(object).values.tolist()
    numbers = [source.row_of(position) for position in range(len(frame))]
    return _Table(path.name, "", headers, rows, numbers,
                  [column_letter(index + 1) for index in range(len(headers))])


def _header_text(value: object) -> str:
    text = clean_text(value)
    return text[:-2] if re.fullmatch(r"\d+\.0", text) else text


def _sheet_rows(path: Path) -> dict[str, list[list[Any]]]:
    book = open_workbook(path)
    try:
        return {name: read_sheet(book, name, file=path.name).rows for name in book.sheet_names}
    finally:
        book.close()


def _table_at(file: str, sheet: str, rows: list[list[Any]], header_index: int) -> _Table:
    header = rows[header_index] if header_index < len(rows) else []
    used = [position for position, cell in enumerate(header) if clean_text(cell)]
    body, numbers = [], []
    for offset, row in enumerate(rows[header_index + 1:], start=header_index + 2):
        values = [row[position] if position < len(row) else "" for position in used]
        if all(is_blank(value) or clean_text(value) == "" for value in values):
            continue
        body.append(values)
        numbers.append(offset)
    return _Table(file, sheet, [_header_text(header[position]) for position in used], body,
                  numbers, [column_letter(position + 1) for position in used], header_index + 1)


def _find_table(path: Path, sheets: dict[str, list[list[Any]]], accept: Any,
                prefer: Sequence[str] = ()) -> _Table | None:
    """The first table whose header row ``accept(headers)`` likes, preferred sheets first."""
    order = [name for name in prefer if name in sheets] + [
        name for name in sheets if name not in prefer and name != FORM_SHEET]
    for name in order:
        rows = sheets[name]
        for index, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
            headers = [_header_text(cell) for cell in row if clean_text(cell)]
            if headers and accept(headers):
                return _table_at(path.name, name, rows, index)
    return None


def _form_id(sheets: dict[str, list[list[Any]]]) -> str:
    rows = sheets.get(FORM_SHEET) or []
    if len(rows) >= FORM_ID_ROW and len(rows[FORM_ID_ROW - 1]) >= 2:
        return clean_text(rows[FORM_ID_ROW - 1][1])
    return ""


def is_ccpm_workbook(sheets: dict[str, list[list[Any]]]) -> bool:
    """True for a CCPM workbook: its form sheet says so, or it has the Responses and Question
    bank sheets."""
    return _form_id(sheets) == CCPM.form_id or {RESPONSES.sheet, QUESTION_BANK.sheet} <= set(
        sheets)


# ----------------------------------------------------------------------------- header match

def _field_keys(fields: Iterable[Field]) -> dict[str, str]:
    keys: dict[str, str] = {}
    for item in fields:
        for name in (item.key, item.label, *item.aliases):
            keys.setdefault(header_key(name), item.key)
    return keys


def _match(headers: Sequence[str], fields: Iterable[Field]) -> dict[str, int]:
    """Field key -> column position for the headers that name a field (first one wins)."""
    keys = _field_keys(fields)
    found: dict[str, int] = {}
    for position, header in enumerate(headers):
        key = keys.get(header_key(header.rstrip("* ")))
        if key is not None:
            found.setdefault(key, position)
    return found


def _question_of(header: str, bank: QuestionBank) -> str | None:
    question = bank.find(header)
    if question is None:
        match = _FIRST_TOKEN.match(header)
        if match:
            question = bank.find(match.group(1).rstrip(".:-"))
    return question.question_id if question else None


def _looks_like_question(header: str) -> bool:
    match = _FIRST_TOKEN.match(header)
    token = match.group(1).rstrip(".:-") if match else header
    return bool(_ID_SHAPE.match(token))


# -------------------------------------------------------------------------------- responses

def _answer_frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    columns = ["respondent_id", "respondent_role", "organisation_type", "question_id", "answer",
               "file", "sheet", "respondent_id@cell", "respondent_role@cell",
               "organisation_type@cell", "question_id@cell", "answer@cell"]
    return pd.DataFrame(records, columns=columns, dtype=object)


def _long_answers(table: _Table, columns: dict[str, int]) -> pd.DataFrame:
    records = []
    for position, row in enumerate(table.rows):
        record: dict[str, Any] = {"file": table.file, "sheet": table.sheet}
        for key in ("respondent_id", "respondent_role", "organisation_type", "question_id",
                    "answer"):
            if key in columns:
                record[key] = row[columns[key]]
                record[f"{key}@cell"] = table.cell(position, columns[key])
            else:
                record[key] = ""
        records.append(record)
    return _answer_frame(records)


def _wide_answers(table: _Table, bank: QuestionBank, findings: list[Finding]) -> pd.DataFrame:
    columns = _match(table.headers, RESPONDENT_FIELDS)
    questions: dict[int, str] = {}
    unknown: list[int] = []
    ignored: list[str] = []
    for position, header in enumerate(table.headers):
        if position in columns.values():
            continue
        question_id = _question_of(header, bank)
        if question_id is not None:
            if question_id in questions.values():
                findings.append(Finding(
                    Severity.ERROR, "ccpm-duplicate-column",
                    f"question {question_id} has two columns; only the first is read",
                    table.file, table.sheet, f"{table.letters[position]}{table.header_row}",
                    header))
                continue
            questions[position] = question_id
        elif _looks_like_question(header):
            unknown.append(position)
        else:
            ignored.append(header)
    for position in unknown:
        answered = sum(1 for row in table.rows if not is_blank(row[position])
                       and clean_text(row[position]))
        findings.append(Finding(
            Severity.ERROR, "ccpm-unknown-question",
            f"column '{table.headers[position]}' is not a question id of the question bank; "
            f"its {answered} answer{'s' if answered != 1 else ''} are left out",
            table.file, table.sheet, f"{table.letters[position]}{table.header_row}",
            table.headers[position]))
    if ignored:
        shown = ", ".join(f"'{name}'" for name in ignored[:8])
        more = f" and {len(ignored) - 8} more" if len(ignored) > 8 else ""
        findings.append(Finding(
            Severity.WARNING, "ccpm-ignored-column",
            f"columns that are not questions were ignored: {shown}{more}", table.file,
            table.sheet, "", ""))
    if "respondent_role" not in columns:
        findings.append(Finding(
            Severity.WARNING, "ccpm-no-role",
            "there is no respondent_role column: a respondent who answered a question for the "
            "coordinator is taken as the coordinator, anyone else as a partner",
            table.file, table.sheet, "", ""))
    stem = Path(table.file).stem
    records = []
    for position, row in enumerate(table.rows):
        number = table.row_numbers[position]
        person: dict[str, Any] = {"file": table.file, "sheet": table.sheet}
        for key in ("respondent_id", "respondent_role", "organisation_type"):
            if key in columns:
                person[key] = row[columns[key]]
                person[f"{key}@cell"] = table.cell(position, columns[key])
            else:
                person[key] = ""
        if not clean_text(person["respondent_id"]):
            person["respondent_id"] = f"{stem} row {number}"
        for column, question_id in questions.items():
            value = row[column]
            if is_blank(value) or clean_text(value) == "":
                continue
            records.append({**person, "question_id": question_id, "answer": value,
                            "answer@cell": table.cell(position, column)})
    return _answer_frame(records)


def _responses_from_table(table: _Table, bank: QuestionBank, findings: list[Finding]
                          ) -> pd.DataFrame:
    columns = _match(table.headers, (*RESPONDENT_FIELDS, *_LONG_FIELDS))
    if {"question_id", "answer"} <= set(columns):
        if "respondent_id" not in columns:
            raise InputError([(Location(file=table.file, sheet=table.sheet),
                               "the answers have no respondent_id column, so answers cannot "
                               "be put together by respondent")])
        return _long_answers(table, columns)
    return _wide_answers(table, bank, findings)


def _accepts_responses(bank: QuestionBank) -> Any:
    def accept(headers: list[str]) -> bool:
        columns = _match(headers, (*RESPONDENT_FIELDS, *_LONG_FIELDS))
        return {"question_id", "answer"} <= set(columns) or any(
            _question_of(header, bank) for header in headers)
    return accept


def read_responses(path: Path | str, bank: QuestionBank, findings: list[Finding]
                   ) -> pd.DataFrame:
    """The long answers table of one responses file (long or wide, CSV or XLSX)."""
    path = Path(path)
    _check_suffix(path, "the responses")
    if not _is_workbook(path):
        table = _csv_table(path)
        if not _accepts_responses(bank)(table.headers):
            raise InputError([(Location(file=path.name), _NOT_RESPONSES)])
        return _responses_from_table(table, bank, findings)
    sheets = _sheet_rows(path)
    found = _find_table(path, sheets, _accepts_responses(bank), prefer=(RESPONSES.sheet,))
    if found is None:
        raise WorkbookError(path.name, _NOT_RESPONSES)
    return _responses_from_table(found, bank, findings)


_NOT_RESPONSES = ("no survey responses were found: expected either the columns respondent_id, "
                  "question_id and answer (one row per answer), or one column per question id "
                  "of the question bank (one row per respondent)")


# ------------------------------------------------------------------------------------- bank

def _located_frame(table: _Table, fields: Sequence[Field]) -> pd.DataFrame:
    columns = _match(table.headers, fields)
    records = []
    for position, row in enumerate(table.rows):
        record: dict[str, Any] = {"file": table.file, "sheet": table.sheet,
                                  "row": table.row_numbers[position]}
        for item in fields:
            if item.key in columns:
                record[item.key] = row[columns[item.key]]
                record[f"{item.key}@cell"] = table.cell(position, columns[item.key])
            else:
                record[item.key] = ""
        records.append(record)
    return pd.DataFrame(records, columns=["file", "sheet", "row",
                                          *(item.key for item in fields),
                                          *(f"{item.key}@cell" for item in fields)],
                        dtype=object)


def _accepts(fields: Sequence[Field], required: Iterable[str]) -> Any:
    def accept(headers: list[str]) -> bool:
        return set(required) <= set(_match(headers, fields))
    return accept


def _bank_from_sheets(path: Path, sheets: dict[str, list[list[Any]]], findings: list[Finding]
                      ) -> QuestionBank:
    questions = _find_table(path, sheets, _accepts(QUESTION_BANK.fields,
                                                   ("question_id", "function", "text")),
                            prefer=(QUESTION_BANK.sheet,))
    if questions is None:
        raise WorkbookError(path.name, "no question bank was found: expected a sheet with the "
                                       "columns question id, function, text and scale")
    scales = _find_table(path, sheets, _accepts(SCALES.fields, ("scale", "label", "code")),
                         prefer=(SCALES.sheet,))
    bank, problems = bank_from_tables(
        _located_frame(questions, QUESTION_BANK.fields),
        None if scales is None else _located_frame(scales, SCALES.fields))
    findings.extend(problems)
    return bank


def read_bank(path: Path | str, findings: list[Finding]) -> QuestionBank:
    """The question bank (and its scales, in a workbook) of a CSV or XLSX file."""
    path = Path(path)
    _check_suffix(path, "the question bank")
    if _is_workbook(path):
        return _bank_from_sheets(path, _sheet_rows(path), findings)
    table = _csv_table(path)
    if not _accepts(QUESTION_BANK.fields, ("question_id", "function", "text"))(table.headers):
        raise InputError([(Location(file=path.name), "the question bank needs the columns "
                                                     "question_id, function, sub_function, "
                                                     "asked_of, text and scale")])
    bank, problems = bank_from_tables(_located_frame(table, QUESTION_BANK.fields))
    findings.extend(problems)
    return bank


# ------------------------------------------------------------------------------ description

_PARTNER_HEADERS = {header_key(text) for text in ("Organisation type", "Organization type")}


def _description_rows(path: Path) -> tuple[str, list[tuple[list[Any], int]]]:
    if _is_workbook(path):
        sheets = _sheet_rows(path)
        sheet = DESCRIPTION.sheet if DESCRIPTION.sheet in sheets else next(iter(sheets))
        return sheet, [(row, index) for index, row in enumerate(sheets[sheet], start=1)]
    frame, source = read_csv_table(path)
    header = list(frame.columns)
    rows = [(header, 1)] + [(list(values), source.row_of(position)) for position, values in
                            enumerate(frame.astype(object).values.tolist())]
    return "", rows


def read_description(path: Path | str, findings: list[Finding]) -> ClusterDescription:
    """The cluster description: label and value side by side (as in the CCPM workbook's
    Cluster description sheet, or a two-column CSV), and one row per organisation type with
    its number of partners."""
    path = Path(path)
    _check_suffix(path, "the cluster description")
    sheet, rows = _description_rows(path)
    labels = _field_keys(DESCRIPTION.fields)
    values: dict[str, Any] = {}
    partners: dict[str, int] = {}
    for row, number in rows:
        cells = [cell for cell in row[:2]] + [""] * (2 - len(row[:2]))
        label, value = clean_text(cells[0]), cells[1]
        if not label or header_key(label) in _PARTNER_HEADERS:
            continue
        where = {"file": path.name, "sheet": sheet, "cell": f"B{number}"}
        key = labels.get(header_key(label.rstrip("* ")))
        if key is not None:
            values[key] = (value, where)
            continue
        kind = organisation_type(label)
        if kind:
            try:
                count = to_whole_number(value)
            except ValueError as error:
                findings.append(Finding(Severity.ERROR, "ccpm-description",
                                        f"partners of type {kind}: '{clean_text(value)}' "
                                        f"{error}", value=clean_text(value), **where))
                continue
            if count is not None:
                partners[kind] = partners.get(kind, 0) + count
            continue
        if not clean_text(value) or (not sheet and number == 1):
            continue  # a title, a note or a CSV's header line: no value is lost
        findings.append(Finding(
            Severity.WARNING, "ccpm-description",
            f"'{label}' is neither a field of the cluster description nor an organisation "
            f"type, so its value is not used; use the labels of the CCPM workbook's "
            f"{DESCRIPTION.sheet} sheet", value=label, **{**where, "cell": f"A{number}"}))
    return ClusterDescription(
        cluster=clean_text(values.get("cluster", ("",))[0]),
        country=clean_text(values.get("country", ("",))[0]),
        ccpm_date=_date_value(values.get("ccpm_date"), findings),
        crisis=_crisis(values.get("crisis"), findings),
        onset=_date_value(values.get("onset"), findings),
        coordinator=clean_text(values.get("coordinator", ("",))[0]),
        lead_agency=clean_text(values.get("lead_agency", ("",))[0]),
        partners=partners)


def _date_value(entry: tuple[Any, dict[str, str]] | None, findings: list[Finding]
                ) -> Any:
    if entry is None:
        return None
    value, where = entry
    try:
        return to_date(value)
    except ValueError as error:
        findings.append(Finding(Severity.ERROR, "ccpm-description",
                                f"'{clean_text(value)}' {error}", value=clean_text(value),
                                **where))
        return None


def _crisis(entry: tuple[Any, dict[str, str]] | None, findings: list[Finding]) -> Crisis:
    if entry is None or not clean_text(entry[0]):
        return Crisis.PROTRACTED
    value, where = entry
    text = clean_text(value).casefold()
    for kind in CRISIS_TYPES:
        if text == kind.casefold() or text == kind.split()[0].casefold():
            return kind
    findings.append(Finding(Severity.WARNING, "ccpm-description",
                            f"type of crisis '{clean_text(value)}' should be "
                            f"{' or '.join(CRISIS_TYPES)}; taken as {Crisis.PROTRACTED}",
                            value=clean_text(value), **where))
    return Crisis.PROTRACTED


# ----------------------------------------------------------------------------- participants

def _participants_from(path: Path, sheets: dict[str, list[list[Any]]] | None
                       ) -> pd.DataFrame | None:
    accept = _accepts(PARTICIPANTS.fields, ("name",))
    if sheets is None:
        table = _csv_table(path)
        if not accept(table.headers):
            raise InputError([(Location(file=path.name), "the participants need a Name column "
                                                         "(and Organisation, Organisation "
                                                         "type)")])
    else:
        found = _find_table(path, {PARTICIPANTS.sheet: sheets[PARTICIPANTS.sheet]}
                            if PARTICIPANTS.sheet in sheets else sheets, accept)
        if found is None:
            return None
        table = found
    frame = _located_frame(table, PARTICIPANTS.fields)
    frame = frame[frame["name"].map(clean_text) != ""]
    return frame.reset_index(drop=True)


def read_participants(path: Path | str) -> pd.DataFrame | None:
    """The workshop participants (name, organisation, organisation type) of a file."""
    path = Path(path)
    _check_suffix(path, "the participants")
    return _participants_from(path, _sheet_rows(path) if _is_workbook(path) else None)


# ------------------------------------------------------------------------------- the survey

def read_survey(responses: Sequence[Path | str], *, bank: Path | str | None = None,
                description: Path | str | None = None,
                participants: Path | str | None = None) -> Survey:
    """Everything a CCPM report needs, from the given files.

    ``responses`` are one or more responses files, or a CCPM workbook (which also gives the
    bank, description and participants unless other files are named).
    """
    if not responses:
        raise InputError("name at least one responses file")
    findings: list[Finding] = []
    paths = [Path(path) for path in responses]
    workbook_sheets = {path: _sheet_rows(path) for path in paths if _is_workbook(path)}
    ccpm_books = [path for path, sheets in workbook_sheets.items() if is_ccpm_workbook(sheets)]
    if bank is not None:
        question_bank = read_bank(bank, findings)
    elif ccpm_books:
        question_bank = _bank_from_sheets(ccpm_books[0], workbook_sheets[ccpm_books[0]],
                                          findings)
    else:
        question_bank = default_bank()
    frames = []
    for path in paths:
        if path in workbook_sheets:
            sheets = workbook_sheets[path]
            found = _find_table(path, sheets, _accepts_responses(question_bank),
                                prefer=(RESPONSES.sheet,))
            if found is None:
                raise WorkbookError(path.name, _NOT_RESPONSES)
            frames.append(_responses_from_table(found, question_bank, findings))
        else:
            frames.append(read_responses(path, question_bank, findings))
    answers = pd.concat(frames, ignore_index=True) if frames else _answer_frame([])
    if answers.empty:
        raise InputError([(Location(file=", ".join(path.name for path in paths)),
                           "no answers were found in the responses")])
    cluster = ClusterDescription()
    if description is not None:
        cluster = read_description(description, findings)
    elif ccpm_books:
        cluster = read_description(ccpm_books[0], findings)
    people = None
    if participants is not None:
        people = read_participants(participants)
    elif ccpm_books:
        people = _participants_from(ccpm_books[0], workbook_sheets[ccpm_books[0]])
    return Survey(answers, question_bank, cluster, people, findings,
                  [path.name for path in paths])
