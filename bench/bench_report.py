"""Benchmark (not a test): 1,000,000 synthetic xAPI statements (JSON Lines, 10,000 learners,
the whole bundled catalogue in modules/) -> the learner x competency matrix.

    python bench/bench_report.py [--statements 1000000] [--learners 10000] [--keep FILE]

Prints the wall time of reading + building the matrix (+ writing CSV and JSON), and the
peak resident memory of the process (ru_maxrss). The statements are shaped as the xAPI
runtime sends them (initialized, answered, completed, passed/failed with per-competency
results, terminated).

    python bench/bench_report.py --statements 0 --moodle-rows 100000
    CCM_MOODLE_TOKEN=... python bench/bench_report.py --statements 0 --source DIR --moodle-site URL --moodle-course ID

The Moodle paths: a synthetic interactions report download (every option on, as Moodle
5.1 writes it, tab separated; a third of the attempts with a second try, `.a2`) of the
first quiz module, N learner-attempt rows; and a live read of a course on a Moodle site.
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
        return [
            {
                "objectType": "Activity",
                "id": framework.competency_iri(c),
                "definition": {"type": "http://adlnet.gov/expapi/activities/objective"},
            }
            for c in ids
        ]

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
                s = {
                    "id": str(uuid.UUID(int=rng.getrandbits(128))),
                    "actor": actor,
                    "verb": {"id": ADL + verb, "display": {"en-US": verb}},
                    "object": {"objectType": "Activity", "id": object_id},
                    "context": context,
                    "timestamp": day,
                }
                if result:
                    s["result"] = result
                return json.dumps(s, separators=(",", ":"))

            lines = [make("initialized", iri)]
            right = {}
            for question in module.questions[: module.questions_per_attempt]:
                ok = rng.random() < 0.75
                right.setdefault(question.competency_id, []).append(ok)
                lines.append(
                    make(
                        "answered",
                        course.question_iri(module.id, question.id),
                        {"success": ok},
                        [question.competency_id],
                        parent=True,
                    )
                )
            if right:
                score = round(100 * sum(sum(v) for v in right.values()) / sum(len(v) for v in right.values()))
                results = [
                    {
                        "id": framework.competency_iri(c),
                        "competency": c,
                        "score": round(100 * sum(v) / len(v)),
                        "status": "passed" if 100 * sum(v) / len(v) >= module.pass_mark else "failed",
                    }
                    for c, v in right.items()
                ]
                result = {
                    "success": score >= module.pass_mark,
                    "completion": True,
                    "score": {"scaled": score / 100, "raw": score, "min": 0, "max": 100},
                    "extensions": {iri + "/xapi/competency-results": results},
                }
                lines.append(make("completed", iri, result))
                lines.append(make("passed" if score >= module.pass_mark else "failed", iri, result))
            lines.append(make("terminated", iri))
            for line in lines[: count - written]:
                handle.write(line + "\n")
            written += min(len(lines), count - written)


def generate_moodle_interactions(course, path: Path, rows: int, learners: int, seed: int = 2) -> None:
    """Moodle's interactions report (tab separated, every option on) for the first module with a quiz."""
    rng = random.Random(seed)
    module = next(m for m in course.modules if m.questions)
    questions = module.questions[: module.questions_per_attempt]
    header = ["Name", "Email address", "Attempt", "Started on", "Last accessed on", "Score", module.title]
    for n in range(2 * len(questions)):
        header += [f"Question {n}", f"Response {n}", f"Right answer {n}", f"Result {n}"]
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\t".join(header) + "\n")
        for row in range(rows):
            who = rng.randrange(learners)
            day = f"Tuesday, {rng.randint(1, 28)} November 2026, {rng.randint(1, 12)}:{rng.randint(0, 59):02d} PM"
            cells = []
            tries = 2 if rng.random() < 0.33 else 1
            for attempt_try in range(1, tries + 1):
                right = 0
                for question in questions:
                    ok = rng.random() < (0.6 if attempt_try == 1 else 0.9)
                    right += ok
                    suffix = f".a{attempt_try}" if attempt_try > 1 else ""
                    cells += [f"{module.id}.{question.id}{suffix}", "a", "a", "correct" if ok else "wrong"]
            score = round(100 * right / len(questions))
            cells += [""] * (len(header) - 7 - len(cells))
            handle.write(
                "\t".join(
                    [
                        f"Learner {who}",
                        f"learner{who}@example.org",
                        str(row // learners + 1),
                        day,
                        day,
                        str(score),
                        f"{score}/100",
                        *cells,
                    ]
                )
                + "\n"
            )


def timed(label: str, course, options) -> None:
    started = time.perf_counter()
    report = build_report(course, options)
    took = time.perf_counter() - started
    print(
        f"{label}: {len(report.matrix.learners):,} learners, matrix built in {took:.1f} s; "
        f"peak resident memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="write the statements here (and reuse them if present)")
    parser.add_argument("--moodle-rows", type=int, default=0, help="also a Moodle interactions report of N rows")
    parser.add_argument(
        "--moodle-site", help="also a live read of --moodle-course on this Moodle site (token from CCM_MOODLE_TOKEN)"
    )
    parser.add_argument("--moodle-course", type=int)
    parser.add_argument("--source", type=Path, default=ROOT / "modules", help="the course source (default: modules/)")
    args = parser.parse_args()
    course = load_course(args.source)
    workdir = Path(tempfile.mkdtemp(prefix="ccm-bench-"))
    if args.moodle_rows:
        moodle_file = workdir / "interactions.txt"
        generate_moodle_interactions(course, moodle_file, args.moodle_rows, args.learners)
        print(
            f"generated a Moodle interactions report of {args.moodle_rows:,} rows "
            f"({moodle_file.stat().st_size / 1e6:.0f} MB)"
        )
        timed("Moodle interactions report", course, ReportOptions(moodle=(moodle_file,)))
    if args.moodle_site:
        timed(
            f"Moodle site {args.moodle_site} course {args.moodle_course}",
            course,
            ReportOptions(moodle_site=args.moodle_site, moodle_course=args.moodle_course),
        )
    if not args.statements:
        return
    path = args.keep or workdir / "statements.jsonl"
    if not path.exists():
        started = time.perf_counter()
        generate(course, path, args.statements, args.learners)
        print(
            f"generated {args.statements:,} statements ({path.stat().st_size / 1e6:.0f} MB) "
            f"in {time.perf_counter() - started:.1f} s"
        )
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    report = build_report(course, ReportOptions(statements=(path,)))
    built = time.perf_counter() - started
    write_outputs(report, workdir / "out", ("csv", "json"))
    total = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cells = len(report.matrix.learners) * len(report.catalogue.competency_ids)
    print(
        f"{args.statements:,} statements, {len(report.matrix.learners):,} learners x "
        f"{len(report.catalogue.competency_ids)} competencies ({cells:,} cells), {len(course.modules)} modules"
    )
    print(f"matrix built in {built:.1f} s; with CSV + JSON written {total:.1f} s")
    print(f"peak resident memory {peak / 1024:.0f} MB (before reading: {rss_before / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
