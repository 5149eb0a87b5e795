#!/usr/bin/env python3
"""Benchmark `ccm preview` start-up: a script to run by hand, not a timed test.

    python bench/bench_preview.py                  # the bundled catalogue, 5 fresh processes
    python bench/bench_preview.py --repeat 10 --source path/to/course --target cmi5

Each run is a new Python process (as `ccm preview` is), which times, from its own start:
  - importing the preview (and with it the build and every registered target);
  - starting the server: reading and checking the course, binding the port;
  - the first catalogue page served over HTTP (what the author waits for);
  - the first package built and served to the learner frame (the first module, in memory).
It prints each run and the median and worst of each step. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Run in the child: one start-up, timed step by step, printed as JSON.
CHILD = r"""
import json, sys, time, urllib.request
started = time.perf_counter()
from ccm_scorm.preview import start_preview
imported = time.perf_counter()
server = start_preview(sys.argv[1], port=0, target=sys.argv[2])
listening = time.perf_counter()
try:
    with urllib.request.urlopen(server.url, timeout=60) as answer:
        answer.read()
    catalogue = time.perf_counter()
    course = server.workspace.snapshot.course
    first = course.modules[0].id
    with urllib.request.urlopen(f"{server.url}learn/{sys.argv[2]}/module/{first}/index.html", timeout=60) as answer:
        answer.read()
    learner = time.perf_counter()
finally:
    server.stop()
print(json.dumps({"import": imported - started, "start": listening - imported, "catalogue": catalogue - started,
                  "first package": learner - started}))
"""
STEPS = ("import", "start", "catalogue", "first package")


def one_run(source: Path, target: str) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(source), target],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"the preview did not start: {result.stderr.strip().splitlines()[-1:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=REPO / "modules", help="course folder (default: modules)")
    parser.add_argument("--target", default="scorm12", help="format the preview starts with (default: scorm12)")
    parser.add_argument("--repeat", type=int, default=5, help="fresh processes to start (default: 5)")
    args = parser.parse_args()
    runs = []
    print(
        f"ccm preview start-up, {args.source} as {args.target}, seconds from process start "
        "(import and start are each step's own time)"
    )
    print(" run  " + "  ".join(f"{step:>13}" for step in STEPS))
    for number in range(1, args.repeat + 1):
        runs.append(one_run(args.source, args.target))
        print(f"{number:>4}  " + "  ".join(f"{runs[-1][step]:>13.2f}" for step in STEPS))
    for name, pick in (("median", statistics.median), ("worst", max)):
        print(f"{name:>6}" + "  ".join(f"{pick(run[step] for run in runs):>13.2f}" for step in STEPS))


if __name__ == "__main__":
    main()
