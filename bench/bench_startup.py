#!/usr/bin/env python3
"""Benchmark a learner's start-up on an old phone: a script to run by hand, not a timed test.

    python bench/bench_startup.py                          # person-centred-practice and the largest pathway
    python bench/bench_startup.py --repeat 9 --targets web --json startup.json
    python bench/bench_startup.py --latency 400            # the brief's 400 ms instead of DevTools' 2000 ms

In Debian Chromium (Playwright) with DevTools emulation, each run a fresh browser context (nothing
cached) with the CPU slowed 6x (Emulation.setCPUThrottlingRate) and the network of DevTools' "3G"
preset (formerly "Slow 3G"; Network.emulateNetworkConditions), a 360x740 screen, a package served
over local HTTP as an LMS's web server would (text files gzipped). For one module and for the
largest pathway, web and SCORM 1.2 (inside the tests' scorm-again LMS page), it measures from the
package page's own navigation start:
  - first contentful paint;
  - ready: when the runtime marks <html> ccm-ready (its controls work from then on);
  - usable: ready plus the answer to the first tap (Start on a module's cover, Start on a pathway's
    first module): from the tap's event to the next frame after focus reaches the new view's h1
    (the time Playwright itself takes to see the control and tap it is left out);
  - bytes transferred before first paint, and in all (the browser's transferSize of the page and
    every file it fetched).
It prints each case's median of --repeat runs as a table, and the figures as JSON. See bench/README.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import tempfile
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from playwright.sync_api import sync_playwright  # noqa: E402
from support.browser import launch_chromium  # noqa: E402
from support.scorm_lms import open_sco  # noqa: E402

from ccm_scorm.build import build  # noqa: E402
from ccm_scorm.source import load_course  # noqa: E402
from ccm_scorm.targets import BuildOptions  # noqa: E402

MODULE = "person-centred-practice"
CPU_SLOWDOWN = 6
# DevTools' "3G" preset (front_end/core/sdk/NetworkManager.ts, Slow3GConditions): 500 kbit/s x 0.8 each
# way, and the latency it sends to the protocol, 5 x its 400 ms target round trip.
THROUGHPUT = 500 * 1000 / 8 * 0.8  # bytes per second
DEVTOOLS_LATENCY_MS = 400 * 5
PHONE = {"width": 360, "height": 740}
GZIP_LEVEL = 6  # Apache mod_deflate's default
TEXT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".xml": "application/xml",
    ".xsd": "application/xml",
    ".svg": "image/svg+xml",
}
OTHER_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}

# In the package's page only: when the runtime is ready, when the first tap came, when its answer showed.
PROBE = r"""
(() => {
  if (!location.pathname.startsWith('/pkg/')) return;
  const probe = window.__ccmProbe = {};
  new MutationObserver((_, watch) => {  // the document, as <html> is not there yet
    if (!document.documentElement.classList.contains('ccm-ready')) return;
    probe.ready = performance.now();
    watch.disconnect();
  }).observe(document, { attributes: true, attributeFilter: ['class'], subtree: true });
  document.addEventListener('click', e => { if (probe.tap === undefined) probe.tap = e.timeStamp; }, true);
  document.addEventListener('focusin', e => {
    if (probe.tap === undefined || probe.shown !== undefined || !e.target.matches('h1')) return;
    probe.shown = 0;
    requestAnimationFrame(() => { probe.shown = performance.now(); });
  }, true);
})();
"""

# Read in the package's page once the tap has its answer.
READ = r"""() => {
  const paint = performance.getEntriesByName('first-contentful-paint')[0].startTime;
  const files = performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'));
  const sum = list => list.reduce((total, entry) => total + entry.transferSize, 0);
  return Object.assign({ paint, bytesBeforePaint: sum(files.filter(e => e.responseEnd <= paint)),
                         bytes: sum(files), requests: files.length }, window.__ccmProbe);
}"""

FIRST_CONTROL = {"module": "#ccm-next", "pathway": "#ccm-menu-open-0"}
FIGURES = ("paint", "ready", "answer", "usable", "bytesBeforePaint", "bytes", "requests")


class PackageServer(ThreadingHTTPServer):
    """Serves packages (zips, read into memory) under /pkg/<name>/, the tests' LMS page under /__lms/ and
    node_modules under /__node/; text gzipped, nothing cached."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.files: dict[str, bytes] = {}
        self.mounts = {"/__lms/": REPO / "tests" / "support", "/__node/": REPO / "node_modules"}

    def add_package(self, name: str, archive: Path) -> str:
        with zipfile.ZipFile(archive) as package:
            for member in package.namelist():
                self.files[f"/pkg/{name}/{member}"] = package.read(member)
        return f"http://127.0.0.1:{self.server_port}/pkg/{name}/index.html"

    def find(self, path: str) -> bytes | None:
        if path in self.files:
            return self.files[path]
        for prefix, folder in self.mounts.items():
            if path.startswith(prefix):
                file = (folder / path[len(prefix) :]).resolve()
                if file.is_relative_to(folder.resolve()) and file.is_file():
                    return file.read_bytes()
        return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: PackageServer

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        path = self.path.split("?", 1)[0]
        body = self.server.find(path)
        if body is None:
            self.send_error(404)
            return
        suffix = Path(path).suffix.lower()
        self.send_response(200)
        self.send_header("Content-Type", TEXT_TYPES.get(suffix) or OTHER_TYPES.get(suffix, "application/octet-stream"))
        self.send_header("Cache-Control", "no-store")
        if suffix in TEXT_TYPES:
            body = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):  # noqa: N802 (scorm-again's commits, when asked for)
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def largest_pathway(course) -> str:
    return max(course.pathways, key=lambda pathway: sum(course.module(m).minutes for m in pathway.module_ids)).id


def build_packages(source: Path, targets: list[str], out: Path) -> list[tuple[str, str, str, Path]]:
    """(target, kind, id, zip) of the module and the largest pathway for each target."""
    course = load_course(source)
    pathway = largest_pathway(course)
    options = BuildOptions(lms=course.settings.lms)
    build(course, targets, out, options, module_ids=(MODULE,), pathway_ids=(pathway,), jobs=1)
    cases = []
    for target in targets:
        for kind, unit in (("module", MODULE), ("pathway", pathway)):
            cases.append((target, kind, unit, out / target / f"{unit}.zip"))
    return cases


def throttle(context, page, latency_ms: float) -> None:
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": latency_ms, "downloadThroughput": THROUGHPUT, "uploadThroughput": THROUGHPUT},
    )
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})


def package_frame(page, target: str, url: str):
    """Open the package as the learner would (a SCORM one inside the LMS page); its frame."""
    if target.startswith("scorm"):
        lms = open_sco(page, url, edition=target.removeprefix("scorm"), wait_for=None, timeout=300_000)
        page.wait_for_function("() => window.frames.sco && window.frames.sco.location.pathname.startsWith('/pkg/')")
        return lms.frame
    page.goto(url, wait_until="commit", timeout=300_000)
    return page.main_frame


def one_run(browser, target: str, kind: str, url: str, latency_ms: float) -> dict[str, float]:
    context = browser.new_context(viewport=PHONE)
    try:
        context.add_init_script(PROBE)
        page = context.new_page()
        page.set_default_timeout(300_000)
        throttle(context, page, latency_ms)
        frame = package_frame(page, target, url)
        frame.wait_for_selector("html.ccm-ready", state="attached")
        frame.locator(FIRST_CONTROL[kind]).click()  # the learner's first tap, as soon as it can work
        frame.wait_for_function("() => window.__ccmProbe.shown > 0")
        frame.wait_for_load_state("load")
        figures = frame.evaluate(READ)
        figures["answer"] = figures["shown"] - figures["tap"]
        figures["usable"] = figures["ready"] + figures["answer"]
        return {name: figures[name] for name in FIGURES}
    finally:
        context.close()


def median_of(runs: list[dict[str, float]]) -> dict[str, float]:
    return {name: statistics.median(run[name] for run in runs) for name in runs[0]}


def print_table(results: list[dict]) -> None:
    print(
        f"\n{'target':<9} {'package':<32} {'first paint':>12} {'ready':>9} {'usable':>9} {'tap->shown':>10} "
        f"{'kB before paint':>15} {'kB in all':>10} {'requests':>8}"
    )
    for result in results:
        m = result["median"]
        print(
            f"{result['target']:<9} {result['kind'] + ' ' + result['id']:<32} {m['paint'] / 1000:>10.2f} s "
            f"{m['ready'] / 1000:>7.2f} s {m['usable'] / 1000:>7.2f} s {m['answer']:>7.0f} ms "
            f"{m['bytesBeforePaint'] / 1000:>15.1f} {m['bytes'] / 1000:>10.1f} {m['requests']:>8.0f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=REPO / "modules", help="course folder (default: modules)")
    parser.add_argument("--targets", nargs="+", default=["web", "scorm12"], help="default: web scorm12")
    parser.add_argument("--repeat", type=int, default=5, help="runs per package, the median is shown (default: 5)")
    parser.add_argument(
        "--latency", type=float, default=DEVTOOLS_LATENCY_MS, help="ms added to each request (default: DevTools' 2000)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    server = PackageServer()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    results = []
    with tempfile.TemporaryDirectory() as work, sync_playwright() as playwright:
        cases = build_packages(args.source, args.targets, Path(work))
        browser = launch_chromium(playwright)
        print(
            f"start-up: CPU {CPU_SLOWDOWN}x slower, {THROUGHPUT * 8 / 1000:.0f} kbit/s each way, "
            f"{args.latency:.0f} ms latency, {PHONE['width']}x{PHONE['height']}, median of {args.repeat} runs"
        )
        for target, kind, unit, archive in cases:
            url = server.add_package(f"{target}-{unit}", archive)
            runs = [one_run(browser, target, kind, url, args.latency) for _ in range(args.repeat)]
            results.append({"target": target, "kind": kind, "id": unit, "runs": runs, "median": median_of(runs)})
            print(
                f"  {target} {kind} {unit}: " + ", ".join(f"{run['usable'] / 1000:.2f}" for run in runs) + " s usable"
            )
        browser.close()
    server.shutdown()
    print_table(results)
    report = {
        "cpu_slowdown": CPU_SLOWDOWN,
        "throughput_bytes_per_s": THROUGHPUT,
        "latency_ms": args.latency,
        "viewport": PHONE,
        "repeat": args.repeat,
        "results": results,
    }
    print(json.dumps([{k: r[k] for k in ("target", "kind", "id", "median")} for r in results], indent=1))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
