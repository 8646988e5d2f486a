"""The sample submissions: realistic, deterministic, valid unless a mistake is made on purpose,
and every mistake caught by its rule at its cell."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from clusterbook.domain.checks import CheckContext
from clusterbook.forms import MICROPLAN
from clusterbook.jobs.validate import ValidateRequest, validate_paths
from clusterbook.sample.submissions import (
    MISTAKES,
    action_plan_data,
    low_performing_codes,
    microplan_data,
    sample_cluster_list,
    with_mistake,
)
from clusterbook.templates import entry_cell
from corpus import write
from pandera_oracle import section_schema, through_pandera

TODAY = dt.date(2025, 12, 1)


@pytest.fixture(scope="module")
def context():
    return CheckContext(clusters=sample_cluster_list(), today=TODAY)


def test_sample_plans_are_deterministic_and_realistic():
    code = low_performing_codes()[5]
    first, again = microplan_data(code), microplan_data(code)
    assert first == again
    names = [member["name"] for code in low_performing_codes()[:20]
             for member in microplan_data(code).tables["team"]]
    scripts = {"latin" if re.search(r"[A-Za-z]", name) else "arabic script" for name in names}
    assert scripts == {"latin", "arabic script"}
    assert any(re.search("[ګښځ]", name) for name in names)  # Pashto letters
    assert any(re.search("[ےہ]", name) for name in names)  # Urdu letters
    contacts = [m["contact"] for m in first.tables["team"]]
    assert all(re.fullmatch(r"\+?[0-9 -]{7,20}", contact) for contact in contacts)
    ident = first.records["identification"]
    start, end = ident["campaign_start"], ident["campaign_end"]
    for activity in first.tables["activities"]:
        assert start - dt.timedelta(days=30) <= activity["date"] <= end
    assert len(first.tables["issues"]) >= 2  # on the low-performing list


def test_sample_plans_have_no_findings(tmp_path, context):
    codes = low_performing_codes()[:3]
    others = [info.code for info in sample_cluster_list().clusters.values()
              if not info.low_performing][:3]
    for code in codes + others:
        write(tmp_path, f"{code}.xlsx", microplan_data(code))
    write(tmp_path, "Kotal_actions.xlsx", action_plan_data("Kotal"))
    result = validate_paths(ValidateRequest([tmp_path], context.clusters, context.final,
                                            context.today))
    assert len(result.files) == 7
    assert result.findings == []


@pytest.mark.parametrize("kind", sorted(MISTAKES))
def test_each_mistake_is_caught_at_its_cell(tmp_path, context, kind):
    code = low_performing_codes()[7]
    data, mistake = with_mistake(microplan_data(code), kind, seed=1)
    path = write(tmp_path, "plan.xlsx", data)
    findings = validate_paths(ValidateRequest([path], context.clusters, context.final,
                                              context.today)).findings
    section = MICROPLAN.section(mistake.section)
    cell = entry_cell(section, mistake.field, mistake.row or 0)
    assert (mistake.rule, section.sheet, cell) in {(f.rule, f.sheet, f.cell) for f in findings}
    assert kind == mistake.kind and MISTAKES[kind] == mistake.rule


def test_pandera_and_the_direct_loop_find_the_same(context):
    from clusterbook.domain import checks
    from clusterbook.domain.submission import blocks_from_data, document_from_blocks

    documents = []
    for index, code in enumerate(low_performing_codes()[:len(MISTAKES) * 2]):
        kind = sorted(MISTAKES)[index % len(MISTAKES)]
        data, _ = with_mistake(microplan_data(code), kind, seed=index)
        documents.append(document_from_blocks(MICROPLAN, blocks_from_data(data),
                                              file=f"{code}.xlsx"))
    with through_pandera() as validated:
        with_pandera = checks.check_documents(documents, context)
    assert set(validated) == {section.key for section in MICROPLAN.sections}
    direct = checks.check_documents(documents, context)
    assert with_pandera == direct
    assert len({f.rule for f in direct}) >= 15


def test_the_section_schema_validates_the_merged_frames(tmp_path, context):
    import pandera.pandas as pa

    from clusterbook.excel.forms_reader import read_submission

    good = write(tmp_path, "good.xlsx", microplan_data(low_performing_codes()[0]))
    bad_data, _ = with_mistake(microplan_data(low_performing_codes()[1]), "bad-phone")
    bad = write(tmp_path, "bad.xlsx", bad_data)
    team = MICROPLAN.section("team")
    frames = [read_submission(path).frames(typed=False)["team"] for path in (good, bad)]
    schema = section_schema(team, TODAY)
    schema.validate(frames[0][[f.key for f in team.fields]])
    with pytest.raises(pa.errors.SchemaErrors) as raised:
        schema.validate(frames[1][[f.key for f in team.fields]], lazy=True)
    assert raised.value.failure_cases["check"].tolist() == ["phone"]


def test_a_district_of_sample_submissions(tmp_path):
    context = write_sample_submissions_of(tmp_path, "Sarband")
    result = validate_paths(ValidateRequest([tmp_path], context.clusters, context.final,
                                            context.today))
    clusters = [i for i in sample_cluster_list().clusters.values() if i.district == "Sarband"]
    assert len(result.files) == len(clusters) + 2
    broken = [r for r in result.files if r.submission is None]
    assert [(r.file, r.findings[0].rule) for r in broken] == [
        ("Sarband_copy_cut_off.xlsx", "file-damaged")]
    with_errors = {r.file for r in result.files if r.submission is not None and not r.valid}
    assert 1 <= len(with_errors) <= round(len(clusters) * 0.05) + 1


def write_sample_submissions_of(folder, district):
    from clusterbook.sample.submissions import write_sample_submissions

    return write_sample_submissions(folder, district=district)
