"""Provenance that a file name cannot forge: a review book is trusted for its own province's
clusters only, and when a book's form replaces one that came another way, the review book
says so as an Issue naming the book."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clusterbook.jobs.merge import MergeRequest, merge_folder
from clusterbook.jobs.validate import ValidateRequest, validate_paths
from merging import cluster_csv, put_kotal_plans, put_plan, snapshot, table


@pytest.fixture
def region(tmp_path) -> tuple[Path, Path]:
    """Two provinces' review books in the region's folder."""
    clusters = cluster_csv(tmp_path)
    north, river = tmp_path / "north", tmp_path / "river"
    put_kotal_plans(north)
    put_plan(river, "Nahrin_NHR-001.xlsx", "NHR-001", 4)
    books = tmp_path / "region"
    merge_folder(MergeRequest(north, books / "Northern Hills review.xlsx", clusters=clusters,
                              level="province"))
    merge_folder(MergeRequest(river, books / "River Plain review.xlsx", clusters=clusters,
                              level="province"))
    # A book shaped like Northern Hills' review, carrying a newer River Plain microplan too,
    # sent under a microplan's name.
    forged = tmp_path / "forged"
    shutil.copytree(north, forged)
    put_plan(forged, "Nahrin_NHR-001.xlsx", "NHR-001", 5, days_later=9, phone="0700 000 000")
    merge_folder(MergeRequest(forged, tmp_path / "forged.xlsx", clusters=clusters,
                              level="province"))
    shutil.copy2(tmp_path / "forged.xlsx", books / "Nahrin_NHR-001_v2.xlsx")
    return books, clusters


def test_a_review_book_cannot_replace_another_provinces_cluster(region, tmp_path):
    books, clusters = region
    before = snapshot(books)
    out = tmp_path / "out" / "region.xlsx"
    merge_folder(MergeRequest(books, out, clusters=clusters))
    assert snapshot(books) == before
    identification = [row for row in table(out, "1 Identification")
                      if row["Cluster code"] == "NHR-001"]
    assert [row["Source file"] for row in identification] == ["Nahrin_NHR-001.xlsx"]
    team = [row for row in table(out, "2 Team") if row["Cluster code"] == "NHR-001"]
    assert "0700 000 000" not in {row["Contact"] for row in team}
    issues = [row for row in table(out, "Issues") if row["Rule"] == "review-book-province"]
    assert [row["File"] for row in issues] == ["Nahrin_NHR-001_v2.xlsx"]  # the book itself
    assert "River Plain" in issues[0]["Message"] and "NHR-001" in issues[0]["Message"]
    assert issues[0]["Severity"] == "error"
    outcomes = {(row["File"], row["Came through"]): row["Outcome"] for row in table(out, "Files")}
    assert outcomes[("Nahrin_NHR-001.xlsx", "Nahrin_NHR-001_v2.xlsx")].startswith("Not merged")
    assert outcomes[("Nahrin_NHR-001.xlsx", "River Plain review.xlsx")] == "Merged"
    # validate and the merge agree on what the file is
    [finding] = validate_paths(ValidateRequest([books / "Nahrin_NHR-001_v2.xlsx"])).findings
    assert finding.rule == "not-template"
    assert finding.message.startswith("This is a ClusterBook review book, not a district")


def test_a_book_replacing_a_file_of_the_folder_is_an_issue(tmp_path):
    clusters = cluster_csv(tmp_path)
    river = tmp_path / "river"
    put_plan(river, "Nahrin_NHR-001.xlsx", "NHR-001", 1, days_later=4)
    books = tmp_path / "region"
    merge_folder(MergeRequest(river, books / "River Plain review.xlsx", clusters=clusters,
                              level="province"))
    put_plan(books, "Nahrin_NHR-001_direct.xlsx", "NHR-001", 2)  # sent directly, older
    out = tmp_path / "region.xlsx"
    merge_folder(MergeRequest(books, out, clusters=clusters))
    [current] = [row for row in table(out, "1 Identification")
                 if row["Cluster code"] == "NHR-001"]
    assert current["Source file"] == "Nahrin_NHR-001.xlsx"  # the later one, through the book
    [issue] = [row for row in table(out, "Issues") if row["Rule"] == "review-book-conflict"]
    assert issue["File"] == "River Plain review.xlsx"
    assert "Nahrin_NHR-001_direct.xlsx (received directly)" in issue["Message"]
