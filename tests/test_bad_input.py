"""Bad input ends with a clear message naming the file and the key, exit 1, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from klyngefond.cli.app import app
from klyngefond.storage.loader import load_ledger

runner = CliRunner()

CLUSTER = """
id = "testklynge"
name = "Testklyngen"
region = "Region Test"

[[partners]]
id = "a"
name = "A Kommune"
kind = "kommune"

[[partners]]
id = "b"
name = "B Kommune"
kind = "kommune"

[[partners]]
id = "region-test"
name = "Region Test"
kind = "region"

[[allocations]]
partner = "a"
year = 2023
received = 100000

[[allocations]]
partner = "b"
year = 2023
received = 300000

[[allocations]]
partner = "region-test"
year = 2023
received = "600000.00"
"""

GRANT = """
id = "{id}"
name = "Indsats"
granted = {granted}
year = 2023

[financing]
model = "explicit"
amounts = {{ a = 100, b = 200, {partner} = 700 }}
"""


def make(tmp_path: Path, cluster: str = CLUSTER, grants: dict[str, str] | None = None) -> Path:
    folder = tmp_path / "data" / "testklynge"
    (folder / "grants").mkdir(parents=True)
    (folder / "cluster.toml").write_text(cluster, encoding="utf-8")
    for name, text in (grants or {}).items():
        (folder / "grants" / name).write_text(text, encoding="utf-8")
    return folder


def status(folder: Path):
    result = runner.invoke(app, ["status", "testklynge", "--data", str(folder.parent)])
    assert "Traceback" not in result.output
    return result


def assert_problem(folder: Path, file: str, *fragments: str) -> None:
    result = status(folder)
    assert result.exit_code == 1, result.output
    line = next((line for line in result.stderr.splitlines() if file in line), None)
    assert line is not None, result.stderr
    for fragment in fragments:
        assert fragment in line, line


def test_a_good_fixture_loads(tmp_path):
    folder = make(tmp_path, grants={"g.toml": GRANT.format(id="g", granted=1000, partner="region-test")})
    assert status(folder).exit_code == 0


def test_toml_syntax_error_names_line_and_column(tmp_path):
    folder = make(tmp_path, CLUSTER.replace('name = "Testklyngen"', "name = Testklyngen"))
    assert_problem(folder, "cluster.toml", "TOML syntax error", "line 3", "column")


def test_unknown_partner_in_a_grant(tmp_path):
    folder = make(tmp_path, grants={"g.toml": GRANT.format(id="g", granted=1000, partner="zz")})
    assert_problem(folder, "g.toml", "financing.amounts", "unknown partner 'zz'", "a, b, region-test")


@pytest.mark.parametrize(("amount", "fragment"), [("-100", "negative"), ('"mange"', "not an amount"),
                                                 ('"100.005"', "more than two decimals"), ("100.005", "more than two decimals")])
def test_bad_amounts_name_the_key_and_how_to_write_them(tmp_path, amount, fragment):
    folder = make(tmp_path, CLUSTER.replace('received = "600000.00"', f"received = {amount}"))
    assert_problem(folder, "cluster.toml", "allocations[3] (region-test).received", fragment)


def test_duplicate_partner_ids(tmp_path):
    folder = make(tmp_path, CLUSTER.replace('id = "b"', 'id = "a"'))
    assert_problem(folder, "cluster.toml", "partner id 'a' is used twice")


def test_duplicate_grant_ids(tmp_path):
    grant = GRANT.format(id="g", granted=1000, partner="region-test")
    folder = make(tmp_path, grants={"g.toml": grant, "h.toml": grant})
    assert_problem(folder, "h.toml", "id", "also used by g.toml")


def test_explicit_shares_that_do_not_add_up(tmp_path):
    folder = make(tmp_path, grants={"g.toml": GRANT.format(id="g", granted=1001, partner="region-test")})
    assert_problem(folder, "g.toml", "financing.amounts", "add up to 1000.00", "grant is 1001.00")


def test_missing_required_fields(tmp_path):
    folder = make(tmp_path, CLUSTER.replace('region = "Region Test"\n', ""),)
    assert_problem(folder, "cluster.toml", "region", "required")


def test_missing_required_field_in_grant(tmp_path):
    folder = make(tmp_path, grants={"g.toml": GRANT.format(id="g", granted=1000, partner="region-test").replace("granted = 1000\n", "")})
    assert_problem(folder, "g.toml", "granted", "required")


def test_cluster_folder_without_cluster_file(tmp_path):
    folder = make(tmp_path)
    (folder / "cluster.toml").unlink()
    assert_problem(folder, "cluster.toml", "no cluster file")


def test_typo_in_a_key_is_reported(tmp_path):
    folder = make(tmp_path, CLUSTER.replace('kind = "region"', 'kind = "region"\nkommunkode = "101"'))
    assert_problem(folder, "cluster.toml", "partners[3] (region-test).kommunkode", "not a known key")


def test_every_problem_is_collected_not_just_the_first(tmp_path):
    broken = CLUSTER.replace('id = "b"', 'id = "a"').replace('partner = "b"', 'partner = "zz"')
    folder = make(tmp_path, broken, grants={
        "g.toml": GRANT.format(id="g", granted=1000, partner="zz"),
        "h.toml": "id = 'h'\nname = 'H'\ngranted = 1.001\n[financing]\nmodel = 'solidarity'\n",
        "i.toml": "id = 'i\n",
    })
    _, problems = load_ledger(folder)
    by_file = {}
    for problem in problems:
        by_file.setdefault(problem.file.name, []).append(problem)
    assert set(by_file) == {"cluster.toml", "g.toml", "h.toml", "i.toml"}
    assert len(by_file["cluster.toml"]) == 2
    result = status(folder)
    assert result.exit_code == 1
    assert f"{len(problems)} problems" in result.stderr


def test_interrupted_write_leftovers_are_ignored(tmp_path):
    folder = make(tmp_path, grants={"g.toml": GRANT.format(id="g", granted=1000, partner="region-test")})
    (folder / "grants" / ".h.toml.1234.tmp").write_text("id = 'half", encoding="utf-8")
    assert status(folder).exit_code == 0
