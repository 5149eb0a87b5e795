"""`ccm report` and the framework exports against hostile data: names that are spreadsheet
formulas, statements of every wrong shape, a full disk, a folder that cannot be written, Ctrl-C.

Outputs are read back with the libraries a spreadsheet user's tools use (csv, openpyxl) and the
raw XLSX XML; the full disk is a real size-limited tmpfs where this machine allows mounting one.
"""

from __future__ import annotations

import csv
import errno
import json
import os
import signal
import subprocess
import sys
import time
import uuid
import zipfile
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from support.course_source import FRAMEWORK, MODULE, write_course

from ccm_scorm.cli import main

REPO = Path(__file__).resolve().parent.parent
BASE = "https://ccm-scorm.example.org/test/"
MODULE_IRI = BASE + "module/demo"
ADL = "http://adlnet.gov/expapi/verbs/"
HOSTILE = ['=HYPERLINK("https://evil.example/","click")', "+1", "-1+2", "@SUM(1)", "\t=1", "\r=1", "=cmd|' /C calc'!A0"]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def passed(actor: dict, competency_results=None, **changes) -> dict:
    result = {
        "success": True,
        "score": {"scaled": 0.9},
        "extensions": {
            MODULE_IRI + "/xapi/competency-results": competency_results
            if competency_results is not None
            else [{"competency": "ccm.communication", "score": 90, "status": "passed"}]
        },
    }
    statement = {
        "id": str(uuid.uuid4()),
        "actor": actor,
        "verb": {"id": ADL + "passed"},
        "object": {"objectType": "Activity", "id": MODULE_IRI},
        "result": result,
        "timestamp": "2026-03-02T10:00:00Z",
    }
    statement.update(changes)
    return statement


def hostile_statements() -> list[dict]:
    out = []
    for n, text in enumerate(HOSTILE):
        out.append(passed({"name": text, "mbox": f"mailto:{text}{n}@example.org"}))
        out.append(passed({"name": text, "account": {"homePage": "https://lms.example.org", "name": f"{text}-{n}"}}))
    return out


def run_report(*args) -> object:
    result = CliRunner().invoke(main, ["report", *map(str, args)], env={"CCM_LRS_AUTH": "", "CCM_LRS_USERNAME": ""})
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def starts_a_formula(text: str) -> bool:
    if not text.lstrip(" ").startswith(TRIGGERS):
        return False
    try:
        float(text)  # a negative number the tool computed is a number, not a formula
        return False
    except ValueError:
        return True


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    return write_course(tmp_path_factory.mktemp("hostile"))


def test_no_spreadsheet_cell_is_a_formula(source, tmp_path):
    statements = tmp_path / "s.jsonl"
    statements.write_text("\n".join(json.dumps(s) for s in hostile_statements()), encoding="utf-8")
    roster = tmp_path / "roster.csv"
    with open(roster, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["name", "email", "issued"], ["@SUM(9)", "-9@example.org", "2026-03-01"]])
    out = tmp_path / "out"
    result = run_report(source, "--statements", statements, "--roster", roster, "-o", out, "--match", "email")
    assert result.exit_code == 0, result.output
    seen = set()
    for name in ("matrix.csv", "competencies.csv", "pathways.csv"):
        with open(out / name, encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                for cell in row:
                    assert not starts_a_formula(cell), f"{name}: {cell!r}"
                    seen.add(cell)
    # The text is kept, shown as text: the same characters (names are trimmed) after a quote.
    for text in HOSTILE:
        assert "'" + text.strip() in seen, text
    assert "'@SUM(9)" in seen and "'-9@example.org" in seen
    book = openpyxl.load_workbook(out / "report.xlsx")
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate}: formula {cell.value!r}"
                if isinstance(cell.value, str):
                    assert not starts_a_formula(cell.value), f"{sheet.title}!{cell.coordinate}: {cell.value!r}"
    with zipfile.ZipFile(out / "report.xlsx") as archive:
        for member in archive.namelist():
            if member.startswith("xl/worksheets/"):
                xml = archive.read(member).decode("utf-8")
                assert "<f>" not in xml and "<f " not in xml, member


def test_framework_exports_quote_formula_titles(tmp_path):
    framework = FRAMEWORK.replace("title: Communication", 'title: "=HYPERLINK(\\"https://evil.example/\\")"')
    module = MODULE.replace("title: Demo module", 'title: "@SUM(1) module"')
    course = write_course(tmp_path, {"framework.yaml": framework, "demo/module.yaml": module})
    exported = CliRunner().invoke(main, ["framework", "export", str(course), "--format", "moodle-csv"])
    assert exported.exit_code == 0, exported.output
    mapping = tmp_path / "mapping.csv"
    mapped = CliRunner().invoke(main, ["framework", "mapping", str(course), "-t", "scorm12", "-o", str(mapping)])
    assert mapped.exit_code == 0, mapped.output
    exported_cells, mapping_cells = (
        [cell for row in csv.reader(text.splitlines()) for cell in row]
        for text in (exported.output, mapping.read_text(encoding="utf-8"))
    )
    for cells in (exported_cells, mapping_cells):
        assert not [cell for cell in cells if starts_a_formula(cell)]
    assert '\'=HYPERLINK("https://evil.example/")' in exported_cells
    assert "'@SUM(1) module" in mapping_cells


def wrong_shapes() -> list:
    """Valid JSON that is a bad statement, each shape once; the first is a valid xAPI name with TeX in it."""
    alice = {"name": "$\\foo{x}$ <b>bold</b>", "mbox": "mailto:alice@example.org"}
    bob = {"mbox": "mailto:bob@example.org"}
    return [
        passed(alice),
        passed(bob, result={"extensions": [1, 2]}),
        passed(bob, verb={"id": [ADL + "passed"]}),
        passed(bob, competency_results=[{"competency": []}, {"competency": {"a": 1}, "id": [1]}, {"id": 7}]),
        passed(
            bob,
            competency_results=[
                {"competency": "ccm.advocacy", "score": float("nan")},
                {"competency": "ccm.communication", "score": {"raw": 1}, "status": []},
            ],
        ),
        passed(bob, result={"score": {"scaled": 1e308, "raw": [1], "min": {}, "max": "x"}}),
        passed(bob, result={"score": {"raw": 10**400, "max": 10**401}}),
        passed({"mbox": ["mailto:x@example.org"], "name": {"first": "x"}}, timestamp=["2026"]),
        passed(bob, timestamp="0001-01-01T00:00:00+14:00"),
        passed(bob, context={"contextActivities": [1]}, object={"id": {"x": 1}}),
        passed(bob, context={"contextActivities": {"parent": "x", "other": 5}}),
        passed({"account": {"name": ["u"], "homePage": {}}, "objectType": []}),
        passed("actor"),
        "not a statement",
        42,
        None,
        [],
    ]


@pytest.mark.parametrize("layout", ["lines", "array"])
def test_wrong_shapes_are_counted_never_fatal(source, tmp_path, layout):
    path = tmp_path / "s.json"
    shapes = wrong_shapes()
    if layout == "lines":
        lines = [json.dumps(s) for s in shapes] + ["[" * 5000 + "]" * 5000, '{"a": ' + "1" * 5000 + "}"]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        path.write_text(json.dumps(shapes, indent=1), encoding="utf-8")
    out = tmp_path / "out"
    result = run_report(source, "--statements", path, "-o", out)
    assert result.exit_code == 0, result.output
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    notes = "\n".join(data["notes"])
    assert "statements that could not be used (not a statement object)" in notes
    assert f"statement not used (not a statement object): {path}:" in notes
    if layout == "lines":
        assert f"statement not used (JSON nested too deeply to be a statement): {path}:{len(shapes) + 1}" in notes
    learners = {item["learner"]: item for item in data["learners"]}
    assert learners["alice@example.org"]["name"] == "$\\foo{x}$ <b>bold</b>"
    assert learners["alice@example.org"]["competencies"]["ccm.communication"]["status"] == "achieved"
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "$\\foo{x}$ &lt;b&gt;bold&lt;/b&gt;" in html and "<b>bold</b>" not in html
    for item in data["learners"]:  # every score in the output is a finite number or none
        for cell in item["competencies"].values():
            for field in ("best_score", "latest_score"):
                assert cell[field] is None or isinstance(cell[field], (int, float)) and abs(cell[field]) < 1e300


def test_deep_nesting_in_an_array_is_a_clear_error(source, tmp_path):
    path = tmp_path / "s.json"
    path.write_text(
        "[\n" + json.dumps(passed({"mbox": "mailto:a@example.org"})) + ",\n" + "[" * 100_000 + "]" * 100_000 + "\n]",
        encoding="utf-8",
    )
    result = run_report(source, "--statements", path, "-o", tmp_path / "out")
    assert result.exit_code == 4, result.output
    assert f"{path}:3: JSON nested too deeply" in result.output


def many_learners(path: Path, count: int) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for n in range(count):
            handle.write(json.dumps(passed({"name": f"Learner {n}", "mbox": f"mailto:l{n}@example.org"})) + "\n")


def assert_untouched(out: Path, before: dict[str, bytes]) -> None:
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before, "the folder changed"


@contextmanager
def tiny_filesystem(folder: Path, monkeypatch):
    """A real 64 KiB tmpfs at `folder` where this machine lets us mount one; else every write there fails
    with ENOSPC (the one simulated case the brief allows)."""
    folder.mkdir()
    mounted = (
        os.geteuid() == 0
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True
        ).returncode
        == 0
    )
    if not mounted:
        import builtins

        real_open = builtins.open

        def full_disk_open(file, mode="r", *args, **kwargs):
            if "w" in mode and str(file).startswith(str(folder)) and str(file).endswith(".part"):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(file))
            return real_open(file, mode, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", full_disk_open)
    try:
        yield
    finally:
        if mounted:
            subprocess.run(["umount", str(folder)], check=True)


def test_a_full_disk_writes_nothing_and_keeps_earlier_outputs(source, tmp_path, monkeypatch):
    statements = tmp_path / "s.jsonl"
    many_learners(statements, 400)
    out = tmp_path / "disk"
    with tiny_filesystem(out, monkeypatch):
        (out / "matrix.csv").write_text("an earlier report\n", encoding="utf-8")
        before = {p.name: p.read_bytes() for p in out.iterdir()}
        result = run_report(source, "--statements", statements, "-o", out)
        assert result.exit_code == 3, result.output
        assert "the disk is full" in result.output and "the report was not written" in result.output
        assert_untouched(out, before)


@contextmanager
def unwritable(folder: Path):
    """A folder the kernel refuses to write into: immutable for root, read-only mode for anyone else."""
    folder.mkdir()
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(folder)], check=True)
    else:
        folder.chmod(0o555)
    try:
        yield
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        else:
            folder.chmod(0o755)


def test_an_unwritable_folder_is_exit_3_and_writes_nothing(source, tmp_path):
    statements = tmp_path / "s.jsonl"
    many_learners(statements, 3)
    out = tmp_path / "locked"
    with unwritable(out):
        result = run_report(source, "--statements", statements, "-o", out)
        assert result.exit_code == 3, result.output
        assert f"cannot write {out / 'matrix.csv'}" in result.output and "not writable" in result.output
        assert list(out.iterdir()) == []


def test_a_failure_while_writing_removes_every_temporary_file(source, tmp_path):
    """The last file cannot be written (a folder is in its place): the files before it are not left."""
    statements = tmp_path / "s.jsonl"
    many_learners(statements, 3)
    out = tmp_path / "out"
    (out / "report.html").mkdir(parents=True)
    result = run_report(source, "--statements", statements, "-o", out)
    assert result.exit_code == 3, result.output
    assert [p.name for p in out.iterdir()] == ["report.html"]


def test_ctrl_c_is_exit_130_and_writes_nothing(source, tmp_path):
    statements = tmp_path / "s.jsonl"
    many_learners(statements, 60_000)
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "ccm_scorm.cli", "report", str(source), "--statements", str(statements), "-o", str(out)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        fds = Path(f"/proc/{process.pid}/fd")
        while process.poll() is None:  # interrupt once it is reading the statements
            try:
                if any(os.readlink(fd) == str(statements) for fd in fds.iterdir()):
                    break
            except OSError:
                pass  # a descriptor closed while we looked
            time.sleep(0.01)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=120)
    finally:
        process.kill()
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    assert not out.exists() or list(out.iterdir()) == []


def test_damaged_spreadsheet_exports_are_clear_errors(source, tmp_path):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow

    document = OpenDocumentSpreadsheet()
    sheet, row = Table(name="Report"), TableRow()
    row.addElement(TableCell(valuetype="float", value="not a number"))
    sheet.addElement(row)
    document.spreadsheet.addElement(sheet)
    ods = tmp_path / "report.ods"
    document.save(str(ods))
    result = run_report(source, "--moodle", ods, "-o", tmp_path / "out")
    assert result.exit_code == 4 and f"{ods}: row 1:" in result.output
    xlsx = tmp_path / "report.xlsx"
    with zipfile.ZipFile(xlsx, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    result = run_report(source, "--moodle", xlsx, "-o", tmp_path / "out")
    assert result.exit_code == 4 and "not a readable Excel (.xlsx) workbook" in result.output
