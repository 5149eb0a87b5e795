"""The course being previewed: read and checked again whenever a source file changes.

`Workspace` keeps the last check of the source folder (the course, or the problems that
stop it), a generation number that goes up on every re-check, and the packages built so
far. Packages are built on request, in memory only, and cached by their content: a
module that did not change between two saves is not built again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UsageProblem
from ..model import Course, Module, Pathway
from ..source import check_course
from ..source.problems import Problem
from ..targets import BuildOptions, BuildRefused, Package, get_target, module_target_names

POLL_SECONDS = 0.3
# Editors' temporary files: a save is seen when the real file changes.
IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".tmp", ".part")


class NotAvailable(UsageProblem):
    """The selected target does not make this kind of package (its capabilities say); the message says what to do."""


@dataclass
class Snapshot:
    generation: int
    course: Course | None
    errors: list[Problem]
    warnings: list[Problem]
    checked_at: float
    check_seconds: float


@dataclass
class Workspace:
    source: Path
    poll_seconds: float = POLL_SECONDS
    snapshot: Snapshot = field(init=False)
    _fingerprint: dict = field(init=False, default_factory=dict)
    _cache: dict = field(init=False, default_factory=dict)
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock)
    _changed: threading.Condition = field(init=False, default_factory=threading.Condition)
    _stopping: threading.Event = field(init=False, default_factory=threading.Event)
    _thread: threading.Thread | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.source = Path(self.source)
        self._fingerprint = self._scan()
        self.snapshot = self._check(1)

    # ------------------------------------------------------------ checking
    def _scan(self) -> dict:
        """Every source file's (modification time, size): a change in any of them means a re-check."""
        found: dict[str, tuple[int, int]] = {}
        if not self.source.is_dir():
            return found
        for folder, dirs, files in os.walk(self.source):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in files:
                if name.startswith(".") or name.endswith(IGNORED_SUFFIXES):
                    continue
                path = os.path.join(folder, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue  # removed while we looked
                found[path] = (stat.st_mtime_ns, stat.st_size)
        return found

    def _check(self, generation: int) -> Snapshot:
        started = time.perf_counter()
        try:
            course, problems = check_course(self.source)
            errors, warnings = problems.errors, problems.warnings
        except Exception as error:  # the preview must outlive any source, however broken
            course, warnings = None, []
            errors = [
                Problem(
                    str(self.source),
                    0,
                    0,
                    f"the course could not be read ({type(error).__name__}: {error})",
                    "run 'ccm validate' for details, and please report this as a bug",
                )
            ]
        return Snapshot(generation, course, errors, warnings, time.time(), time.perf_counter() - started)

    def recheck(self) -> Snapshot:
        """Check the source again now (the watcher calls this when a file changes)."""
        with self._lock:
            snapshot = self._check(self.snapshot.generation + 1)
            self.snapshot = snapshot
            if snapshot.course is not None and len(self._cache) > 200:
                self._cache.clear()
        with self._changed:
            self._changed.notify_all()
        return snapshot

    # ------------------------------------------------------------ watching
    def start_watching(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._watch, name="ccm-preview-watch", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        with self._changed:
            self._changed.notify_all()
        if self._thread is not None:
            self._thread.join(2)

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def _watch(self) -> None:
        while not self._stopping.wait(self.poll_seconds):
            try:
                current = self._scan()
                if current == self._fingerprint:
                    continue
                # Editors often write a file in several steps: wait until it settles.
                while not self._stopping.wait(0.1):
                    again = self._scan()
                    if again == current:
                        break
                    current = again
                self._fingerprint = current
                self.recheck()
            except Exception:  # never let the watcher die: the next poll tries again
                continue

    def wait_for_change(self, generation: int, timeout: float) -> int:
        """Block until the generation is past `generation` (or timeout, or stop); return the current one."""
        with self._changed:
            self._changed.wait_for(lambda: self.snapshot.generation != generation or self.stopping, timeout)
        return self.snapshot.generation

    # ------------------------------------------------------------ building
    def build(self, target_name: str, kind: str, unit_id: str) -> Package:
        """The package of one module or pathway for a target, built in memory (cached by content).

        Raises LookupError for an unknown unit, NotAvailable when the target cannot build it,
        BuildRefused when the course's LMS profile refuses it.
        """
        snapshot = self.snapshot
        course = snapshot.course
        if course is None:
            raise LookupError("the course has errors")
        if target_name not in module_target_names():
            raise LookupError(f"unknown target {target_name!r}")
        target = get_target(target_name)
        options = BuildOptions(lms=course.settings.lms)
        unit: Module | Pathway | None = None
        if kind == "module":
            unit = next((m for m in course.modules if m.id == unit_id), None)
        elif kind == "pathway":
            unit = next((p for p in course.pathways if p.id == unit_id), None)
        if unit is None:
            raise LookupError(f"there is no {kind} '{unit_id}' in the course")
        key = (target_name, kind, content_hash(course, kind, unit))
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None:
            return cached
        if isinstance(unit, Module):
            package = target.build_module(course, unit, options)
        elif target.capabilities.pathways:
            package = target.build_pathway(course, unit, options)
        else:
            raise NotAvailable(f"the {target_name} target makes no pathway packages: choose another format above")
        with self._lock:
            self._cache[key] = package
        return package


def content_hash(course: Course, kind: str, unit) -> str:
    """A digest of everything a unit's package is made from: the unit, its modules, the framework, the settings."""
    parts = [course.settings, course.framework, kind, unit]
    if kind == "pathway":
        parts.extend(course.module(module_id) for module_id in unit.module_ids)
    return hashlib.sha256(pickle.dumps(parts, protocol=4)).hexdigest()


__all__ = ["BuildRefused", "NotAvailable", "Snapshot", "Workspace", "content_hash"]
