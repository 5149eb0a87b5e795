#!/usr/bin/env python3
"""Benchmark `ccm build`: a script to run by hand, not a timed test.

    python bench/bench_build.py                 # bundled catalogue + a generated 200-module course
    python bench/bench_build.py --modules 50 --pools thread --json results.json

For each source and every available target it measures:
  - loading and checking the source (load_course), apart from building;
  - a cold build (empty output folder) with each pool (serial, thread, process), all targets at once;
  - a build with nothing changed (every package skipped by its content hash);
  - per-target milliseconds per package (serial, so each figure is one package's real cost);
  - a zip-only baseline: writing the very same files into zips with `zipfile` (the same
    deflate level) and nothing else, and the ratio of build time to it;
  - the runtime bytes each package carries (raw and gzipped);
  - peak memory (the process's maximum resident set, and worker processes').
See bench/README.md for the aims and the figures measured.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ccm_scorm.build import build, default_jobs, source_fingerprint, unchanged_build  # noqa: E402
from ccm_scorm.package import FIXED_TIME  # noqa: E402
from ccm_scorm.source import load_course  # noqa: E402
from ccm_scorm.targets import BuildOptions, target_names  # noqa: E402


def generate_course(catalogue: Path, root: Path, count: int) -> Path:
    """A course of `count` modules, cloned in turn from the catalogue's modules with new ids."""
    course = root / f"generated-{count}"
    course.mkdir(parents=True)
    for name in ("framework.yaml", "course.yaml"):
        if (catalogue / name).exists():
            shutil.copy(catalogue / name, course / name)
    if (catalogue / "assets").is_dir():
        shutil.copytree(catalogue / "assets", course / "assets")
    templates = sorted(p for p in catalogue.iterdir() if (p / "module.yaml").exists())
    for number in range(count):
        template = templates[number % len(templates)]
        module_id = f"{template.name[:30]}-{number:03d}"
        target = course / module_id
        shutil.copytree(template, target)
        text = (target / "module.yaml").read_text(encoding="utf-8")
        (target / "module.yaml").write_text(re.sub(r"(?m)^id:.*$", f"id: {module_id}", text, count=1), encoding="utf-8")
    return course


def zip_only(files_per_package: list[tuple[Path, dict[str, bytes]]]) -> float:
    """Seconds to write the same files as zips with zipfile alone (same deflate level, same order)."""
    started = time.perf_counter()
    for path, files in files_per_package:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name in sorted(files):
                info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, files[name], compresslevel=9)
        path.write_bytes(buffer.getvalue())
    return time.perf_counter() - started


def read_packages(out: Path, records) -> list[tuple[Path, dict[str, bytes]]]:
    contents = []
    for record in records:
        with zipfile.ZipFile(out / record.path) as archive:
            contents.append((out / "baseline" / record.path, {n: archive.read(n) for n in archive.namelist()}))
    for path, _ in contents:
        path.parent.mkdir(parents=True, exist_ok=True)
    return contents


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    value = function(*args, **kwargs)
    return time.perf_counter() - started, value


def bench_source(
    name: str, source: Path, targets: list[str], pools: list[str], jobs: int, repeat: int, work: Path
) -> dict:
    load_seconds, course = timed(load_course, source)
    options = BuildOptions(lms=course.settings.lms)
    # One build first, thrown away: imports, templates and caches warm up as they would in a long session.
    warm = build(course, targets, work / f"{name}-warm-up", options, pool="serial")
    packages = len(warm.rebuilt)  # modules x targets, plus pathways for the targets that build them
    result = {
        "source": name,
        "modules": len(course.modules),
        "targets": targets,
        "packages": packages,
        "load_s": load_seconds,
        "cold": {},
        "per_target": {},
    }
    print(
        f"\n== {name}: {len(course.modules)} modules, {len(course.pathways)} pathways, {len(targets)} targets: "
        f"{packages} packages "
        f"(jobs={jobs})"
    )
    print(f"load and check the source: {load_seconds * 1000:.0f} ms")
    last_out = None
    for pool in pools:
        runs = []
        for attempt in range(repeat):
            out = work / f"{name}-{pool}-{attempt}"
            seconds, built = timed(build, course, targets, out, options, jobs=jobs, pool=pool)
            runs.append(seconds)
            last_out, last_result = out, built
        best = min(runs)
        result["cold"][pool] = best
        print(
            f"cold build, {pool:<7} pool: {best * 1000:7.0f} ms  ({best * 1000 / packages:6.1f} ms/package; "
            f"best of {repeat})"
        )
    unchanged_runs = [timed(build, course, targets, last_out, options, jobs=jobs)[0] for _ in range(repeat)]
    result["unchanged_s"] = min(unchanged_runs)
    print(f"nothing changed:          {result['unchanged_s'] * 1000:7.0f} ms  (build() with the course already loaded)")
    # What `ccm build` does when nothing changed: fingerprint the source files, check the zips, no loading.
    request = ("bench", tuple(targets))
    build(course, targets, last_out, options, jobs=jobs, source_fingerprint=source_fingerprint(source, request))
    command_runs = [
        timed(lambda: unchanged_build(last_out, source_fingerprint(source, request))) for _ in range(repeat)
    ]
    assert all(found is not None for _, found in command_runs), "the unchanged build was not recognised"
    result["unchanged_command_s"] = min(seconds for seconds, _ in command_runs)
    print(f"nothing changed, as 'ccm build' checks it (no loading): {result['unchanged_command_s'] * 1000:.0f} ms")
    for target in targets:
        seconds, built = timed(build, course, [target], work / f"{name}-serial-{target}", options, pool="serial")
        records = [r for r in built.records if r.target == target]
        result["per_target"][target] = {
            "ms_per_package": seconds * 1000 / max(1, len(records)),
            "runtime_bytes": statistics.mean(r.runtime_bytes for r in records) if records else 0,
            "runtime_gzip_bytes": statistics.mean(r.runtime_gzip_bytes for r in records) if records else 0,
            "package_bytes": statistics.mean(r.size for r in records) if records else 0,
        }
    contents = read_packages(last_out, last_result.records)
    baseline = min(zip_only(contents) for _ in range(repeat))
    result["zip_only_s"] = baseline
    serial = result["cold"].get("serial")
    best_pool = min(result["cold"], key=result["cold"].get)
    result["ratio_best"] = result["cold"][best_pool] / baseline
    result["ratio_serial"] = serial / baseline if serial else None
    print("target      ms/package  runtime bytes (gzip)  package bytes")
    for target, figures in result["per_target"].items():
        print(
            f"{target:<10} {figures['ms_per_package']:11.1f}  {figures['runtime_bytes']:>8.0f} "
            f"({figures['runtime_gzip_bytes']:>6.0f})  {figures['package_bytes']:>13.0f}"
        )
    print(
        f"zip-only baseline: {baseline * 1000:.0f} ms; build / baseline: {result['ratio_best']:.2f}x "
        f"({best_pool} pool)" + (f", {result['ratio_serial']:.2f}x serial" if serial else "")
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--catalogue", type=Path, default=REPO / "modules")
    parser.add_argument("--modules", type=int, default=200, help="modules in the generated course (0: none)")
    parser.add_argument("--pools", default="serial,thread,process", help="comma-separated: serial, thread, process")
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best is reported")
    parser.add_argument("--targets", default="", help="comma-separated; default: every available target")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    targets = [t for t in args.targets.split(",") if t] or target_names()
    pools = [p for p in args.pools.split(",") if p]
    print(
        f"ccm build benchmark: {os.cpu_count()} CPUs, jobs={args.jobs}, targets {', '.join(targets)}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    results = []
    with tempfile.TemporaryDirectory(prefix="ccm-bench-") as temporary:
        work = Path(temporary)
        results.append(bench_source("catalogue", args.catalogue, targets, pools, args.jobs, args.repeat, work))
        if args.modules:
            generated = generate_course(args.catalogue, work, args.modules)
            results.append(
                bench_source(
                    f"generated-{args.modules}", generated, targets, pools, args.jobs, max(1, args.repeat - 2), work
                )
            )
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"\npeak memory: {own:.0f} MB (this process), {children:.0f} MB (largest worker process)")
    catalogue = results[0]
    best = min(catalogue["cold"].values())
    print("\naims for the bundled catalogue, all targets:")
    print(f"  cold build under 5 s:          {best:.2f} s  {'met' if best < 5 else 'MISSED'}")
    command = catalogue["unchanged_command_s"]
    print(
        f"  nothing changed under 0.5 s:   {command:.2f} s (source fingerprint and zip checks; "
        f"{catalogue['unchanged_s'] + catalogue['load_s']:.2f} s if the course had to be loaded)  "
        f"{'met' if command < 0.5 else 'MISSED'}"
    )
    print(
        f"  at most 3x zip-only baseline:  {catalogue['ratio_best']:.2f}x  "
        f"{'met' if catalogue['ratio_best'] <= 3 else 'MISSED'}"
    )
    if args.json:
        args.json.write_text(
            json.dumps({"results": results, "peak_rss_mb": own, "peak_worker_rss_mb": children}, indent=2)
        )


if __name__ == "__main__":
    main()
