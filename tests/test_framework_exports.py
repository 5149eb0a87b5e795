"""`ccm framework export` (Moodle CSV, IMS CASE 1.0 JSON, Markdown) and `ccm framework mapping`."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccm_scorm.cli import main
from ccm_scorm.source import load_course

CATALOGUE = Path(__file__).resolve().parent.parent / "modules"


@pytest.fixture(scope="module")
def course():
    return load_course(CATALOGUE)


def export(fmt: str, *extra: str) -> str:
    result = CliRunner().invoke(main, ["framework", "export", str(CATALOGUE), "--format", fmt, *extra])
    assert result.exit_code == 0, result.output
    return result.output


IMPORT_PHP = r"""<?php
define('CLI_SCRIPT', true);
require(getenv('MOODLE_DIR') . '/config.php');
\core\session\manager::set_user(get_admin());
$importer = new \tool_lpimportcsv\framework_importer(file_get_contents($argv[1]), 'UTF-8', 'comma');
$result = ['required' => \tool_lpimportcsv\framework_importer::list_required_headers(),
           'found' => $importer->list_found_headers(), 'error' => $importer->get_error()];
if (!$result['error']) {
    $framework = $importer->import();
    $result['error'] = $importer->get_error();
    $result['framework'] = [$framework->get('idnumber'), $framework->get('shortname')];
    $ids = [];
    foreach (\core_competency\api::list_competencies(['competencyframeworkid' => $framework->get('id')]) as $c) {
        $ids[$c->get('id')] = $c;
    }
    $result['competencies'] = [];
    foreach ($ids as $c) {
        $parent = $c->get('parentid') ? $ids[$c->get('parentid')]->get('idnumber') : '';
        $result['competencies'][] = [$c->get('idnumber'), $c->get('shortname'), $parent];
    }
    \core_competency\api::delete_framework($framework->get('id'));
}
echo json_encode($result);
"""


def test_moodle_imports_the_csv(moodle, course, tmp_path):
    """Moodle's own importer (tool_lpimportcsv) reads the file: its headers, every competency, the tree."""
    rows = list(csv.reader(io.StringIO(export("moodle-csv"))))
    unique = f"{course.framework.id}-{uuid.uuid4().hex[:8]}"  # Moodle refuses a framework id number twice
    for row in rows[1:]:
        if row[12] == "1":
            row[1] = unique
    path = tmp_path / "framework.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    script = tmp_path / "import.php"
    script.write_text(IMPORT_PHP, encoding="utf-8")
    done = subprocess.run(
        [moodle.php, str(script), str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "MOODLE_DIR": str(moodle.moodle_dir)},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(done.stdout[done.stdout.index("{") :])
    assert result["error"] in ("", None, False), result["error"]
    assert rows[0] == result["required"] == result["found"]
    assert result["framework"] == [unique, course.framework.title]
    imported = {idnumber: (shortname, parent) for idnumber, shortname, parent in result["competencies"]}
    for competency in course.framework.competencies:
        assert imported[competency.id] == (competency.title, competency.domain_id)
    assert {d.id for d in course.framework.domains} <= set(imported)


def test_moodle_csv_reimports_cleanly(course):
    rows = list(csv.reader(io.StringIO(export("moodle-csv"))))
    header, body = rows[0], rows[1:]
    assert len(header) == 14  # the names are checked against Moodle itself in test_moodle_imports_the_csv
    assert all(len(row) == 14 for row in body)
    frameworks = [row for row in body if row[12] == "1"]
    assert len(frameworks) == 1
    framework = frameworks[0]
    assert framework[1] == course.framework.id and framework[0] == ""
    assert framework[5] == "Not yet competent,Competent" and json.loads(framework[6])[1]["proficient"] == 1
    assert framework[13] == "domain,competency"
    ids = [row[1] for row in body]
    assert len(ids) == len(set(ids)) and all(0 < len(i) <= 100 for i in ids)
    competencies = [row for row in body if row[12] != "1"]
    known = {row[1] for row in competencies}
    for row in competencies:
        assert row[0] == "" or row[0] in known, f"{row[1]}: parent {row[0]} is not in the file"
        assert row[4] == "1"  # HTML description
    domains = {d.id for d in course.framework.domains}
    assert {row[1] for row in competencies if row[0] == ""} == domains
    by_id = {row[1]: row for row in competencies}
    for competency in course.framework.competencies:
        assert by_id[competency.id][0] == competency.domain_id
        assert by_id[competency.id][2] == competency.title


def test_case_json_structure(course):
    package = json.loads(export("case-json", "--changed", "2026-01-01T00:00:00+00:00"))
    document, items, associations = package["CFDocument"], package["CFItems"], package["CFAssociations"]
    for field in ("identifier", "uri", "creator", "title", "lastChangeDateTime"):
        assert document[field]
    nodes = {document["identifier"]: document["uri"]}
    for item in items:
        for field in ("identifier", "uri", "fullStatement", "lastChangeDateTime", "CFDocumentURI"):
            assert item[field], (item, field)
        uuid.UUID(item["identifier"])
        assert item["CFDocumentURI"]["identifier"] == document["identifier"]
        nodes[item["identifier"]] = item["uri"]
    assert len(nodes) == 1 + len(items)
    competency_items = {i["humanCodingScheme"]: i for i in items if i["CFItemType"] == "Competency"}
    assert set(competency_items) == {c.id for c in course.framework.competencies}
    for cid, item in competency_items.items():
        assert item["uri"] == course.framework.competency_iri(cid)
        assert item["identifier"] == str(uuid.uuid5(uuid.NAMESPACE_URL, f"{course.framework.base_iri}competency/{cid}"))
    for association in associations:
        for field in (
            "identifier",
            "uri",
            "associationType",
            "originNodeURI",
            "destinationNodeURI",
            "lastChangeDateTime",
        ):
            assert association[field]
        for end in ("originNodeURI", "destinationNodeURI"):
            link = association[end]
            assert nodes.get(link["identifier"]) == link["uri"], (
                f"{end} of {association['identifier']} is not in the package"
            )
    parents = {a["originNodeURI"]["identifier"] for a in associations}
    assert parents == {i["identifier"] for i in items}  # everything hangs in the tree
    # Deterministic: the same source and date give the same bytes.
    assert (
        export("case-json", "--changed", "2026-01-01T00:00:00+00:00")
        == json.dumps(package, indent=2, ensure_ascii=False) + "\n"
    )


def test_markdown_lists_every_competency(course):
    text = export("markdown")
    assert text.startswith(f"# {course.framework.title}")
    for competency in course.framework.competencies:
        assert f"| `{competency.id}` | {competency.title} |" in text


def test_mapping_lists_each_package_and_competency(course, tmp_path):
    out = tmp_path / "mapping.csv"
    result = CliRunner().invoke(
        main, ["framework", "mapping", str(CATALOGUE), "-t", "scorm12", "-t", "cmi5", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(open(out, encoding="utf-8")))
    module = course.modules[0]
    mine = [r for r in rows if r["package"] == f"scorm12/{module.id}.zip"]
    assert [r["competency_id"] for r in mine] == list(module.evidenced_competency_ids())
    assert mine[0]["primary"] == "yes" and mine[0]["activity_iri"] == course.module_iri(module.id)
    assert {r["target"] for r in rows} == {"scorm12", "cmi5"}


def test_broken_source_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["framework", "export", str(tmp_path / "none"), "-f", "markdown"])
    assert result.exit_code == 1 and "Traceback" not in result.output
