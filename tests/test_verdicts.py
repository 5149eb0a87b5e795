"""The competency rule is the same in the runtime (scoring.js) and in `ccm report` (report/verdicts.py)."""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess

from ccm_scorm.report.verdicts import judge

JUDGE_IN_NODE = """
import { CCM } from './tests/js/runtime.mjs';
const cases = JSON.parse(process.argv[1]);
console.log(JSON.stringify(cases.map(([asked, right, bank, mark]) => CCM.scoring.judge(asked, right, bank, mark))));
"""


def _cases() -> list[tuple[int, int, int, int]]:
    marks = (0, 50, 67, 75, 80, 100)
    return [
        (asked, right, bank, mark)
        for bank, asked, mark in itertools.product(range(0, 9), range(0, 9), marks)
        if asked <= bank
        for right in range(asked + 1)
    ]


def test_the_runtime_and_the_report_judge_every_case_alike(repo_root):
    node = shutil.which("node")
    assert node, "Node.js is needed to run the runtime's rule"
    cases = _cases()
    done = subprocess.run(
        [node, "--input-type=module", "-e", JUDGE_IN_NODE, json.dumps(cases)],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    runtime = [(v["status"], v["score"]) for v in json.loads(done.stdout)]
    report = [judge(*case) for case in cases]
    assert len(cases) > 500
    assert runtime == report
    # every outcome is covered, and halves (1 of 8 right is 12.5: JavaScript rounds it up to 13)
    assert {status for status, _ in report} == {"passed", "failed", "not-assessed", "completed"}
    assert judge(8, 1, 8, 13) == ("passed", 13) and judge(3, 2, 6, 67) == ("passed", 67)
