"""Benchmark (not a test): 1,000,000 synthetic xAPI statements (JSON Lines, 10,000 learners,
the whole bundled catalogue in modules/) -> the learner x competency matrix.

    python bench/bench_report.py [--statements 1000000] [--learners 10000] [--keep FILE]

Prints the wall time of reading + building the matrix (+ writing CSV and JSON), and the
peak resident memory of the process (ru_maxrss). The statements are shaped as the xAPI
runtime sends them (initialized, answered, completed, passed/failed with per-competency
results, terminated).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ccm_scorm.report import ReportOptions, build_report  # noqa: E402
from ccm_scorm.report.outputs import write_outputs  # noqa: E402
from ccm_scorm.source import load_course  # noqa: E402

ADL = "http://adlnet.gov/expapi/verbs/"


def generate(course, path: Path, count: int, learners: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    framework = course.framework

    def other(ids):
        return [{"objectType": "Activity", "id": framework.competency_iri(c),
                 "definition": {"type": "http://adlnet.gov/expapi/activities/objective"}} for c in ids]

    written = 0
    with open(path, "w", encoding="utf-8") as handle:
        while written < count:
            who = rng.randrange(learners)
            module = rng.choice(course.modules)
            actor = {"objectType": "Agent", "name": f"Learner {who}", "mbox": f"mailto:learner{who}@example.org"}
            registration = str(uuid.UUID(int=rng.getrandbits(128)))
            iri = course.module_iri(module.id)
            day = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(8, 18):02d}:00:00Z"
            comps = list(module.evidenced_competency_ids())

            def make(verb, object_id, result=None, ids=comps, parent=False):
                context = {"registration": registration, "contextActivities": {"other": other(ids)}}
                if parent:
                    context["contextActivities"]["parent"] = [{"objectType": "Activity", "id": iri}]
                s = {"id": str(uuid.UUID(int=rng.getrandbits(128))), "actor": actor,
                     "verb": {"id": ADL + verb, "display": {"en-US": verb}},
                     "object": {"objectType": "Activity", "id": object_id}, "context": context, "timestamp": day}
                if result:
                    s["result"] = result
                return json.dumps(s, separators=(",", ":"))

            lines = [make("initialized", iri)]
            right = {}
            for question in module.questions[:module.questions_per_attempt]:
                ok = rng.random() < 0.75
                right.setdefault(question.competency_id, []).append(ok)
                lines.append(make("answered", course.question_iri(module.id, question.id), {"success": ok},
                                  [question.competency_id], parent=True))
            if right:
                score = round(100 * sum(sum(v) for v in right.values()) / sum(len(v) for v in right.values()))
                results = [{"id": framework.competency_iri(c), "competency": c,
                            "score": round(100 * sum(v) / len(v)),
                            "status": "passed" if 100 * sum(v) / len(v) >= module.pass_mark else "failed"}
                           for c, v in right.items()]
                result = {"success": score >= module.pass_mark, "completion": True,
                          "score": {"scaled": score / 100, "raw": score, "min": 0, "max": 100},
                          "extensions": {iri + "/xapi/competency-results": results}}
                lines.append(make("completed", iri, result))
                lines.append(make("passed" if score >= module.pass_mark else "failed", iri, result))
            lines.append(make("terminated", iri))
            for line in lines[:count - written]:
                handle.write(line + "\n")
            written += min(len(lines), count - written)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="write the statements here (and reuse them if present)")
    args = parser.parse_args()
    course = load_course(ROOT / "modules")
    workdir = Path(tempfile.mkdtemp(prefix="ccm-bench-"))
    path = args.keep or workdir / "statements.jsonl"
    if not path.exists():
        started = time.perf_counter()
        generate(course, path, args.statements, args.learners)
        print(f"generated {args.statements:,} statements ({path.stat().st_size / 1e6:.0f} MB) "
              f"in {time.perf_counter() - started:.1f} s")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    report = build_report(course, ReportOptions(statements=(path,)))
    built = time.perf_counter() - started
    write_outputs(report, workdir / "out", ("csv", "json"))
    total = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cells = len(report.matrix.learners) * len(report.catalogue.competency_ids)
    print(f"{args.statements:,} statements, {len(report.matrix.learners):,} learners x "
          f"{len(report.catalogue.competency_ids)} competencies ({cells:,} cells), {len(course.modules)} modules")
    print(f"matrix built in {built:.1f} s; with CSV + JSON written {total:.1f} s")
    print(f"peak resident memory {peak / 1024:.0f} MB (before reading: {rss_before / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
