"""Writing packages: deterministic zips, written atomically, and build-report.json.

The same source always gives byte-identical zips: entries are sorted, every
timestamp and permission is fixed, and nothing about the machine or the time of the
build goes in. A zip is written to a temporary file beside its destination and moved
into place only when complete, so a failed build never leaves half a package.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import tarfile
import tempfile
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

from . import __version__
from .targets.base import Package

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold
FIXED_EPOCH = 315532800  # the same time as a Unix timestamp, for tar entries
REPORT_NAME = "build-report.json"


@dataclass(frozen=True)
class PackageRecord:
    """One line of the build report."""

    target: str
    kind: str
    id: str
    version: str
    title: str
    path: str  # relative to the output folder
    size: int
    sha256: str
    competencies: tuple[str, ...]
    lms: str
    runtime_bytes: int
    runtime_gzip_bytes: int
    input_hash: str = ""


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            info.create_system = 3  # Unix, so the permissions above are read the same everywhere
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()


def tgz_bytes(files: dict[str, bytes]) -> bytes:
    """A gzipped POSIX ustar archive (what Moodle's .mbz backups are): sorted entries, fixed owner, mode and times."""
    tar_buffer = io.BytesIO()
    with tarfile.open(fileobj=tar_buffer, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        for name in sorted(files):
            info = tarfile.TarInfo(name)
            info.size = len(files[name])
            info.mtime = FIXED_EPOCH
            info.mode = 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            archive.addfile(info, io.BytesIO(files[name]))
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as stream:
        stream.write(tar_buffer.getvalue())
    return buffer.getvalue()


ARCHIVE_WRITERS = {"zip": zip_bytes, "mbz": tgz_bytes}


def write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def package_path(package: Package) -> str:
    return f"{package.target}/{package.unit_id}.{package.archive}"


def runtime_size(package: Package) -> tuple[int, int]:
    """Bytes of the shared runtime in this package, raw and gzipped (each file on its own, as a web server sends
    it); the gzipped figure is the one held to render.RUNTIME_GZIP_BUDGET."""
    files = [package.files[name] for name in sorted(package.runtime_files)]
    return sum(map(len, files)), sum(len(gzip.compress(data, compresslevel=9, mtime=0)) for data in files)


def write_package(package: Package, out_dir: Path, input_hash: str = "") -> PackageRecord:
    data = ARCHIVE_WRITERS[package.archive](package.files)
    relative = package_path(package)
    write_atomically(out_dir / relative, data)
    raw, gzipped = runtime_size(package)
    return PackageRecord(
        target=package.target,
        kind=package.unit_kind,
        id=package.unit_id,
        version=package.version,
        title=package.title,
        path=relative,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        competencies=package.competency_ids,
        lms=package.lms,
        runtime_bytes=raw,
        runtime_gzip_bytes=gzipped,
        input_hash=input_hash,
    )


def write_build_report(
    records: list[PackageRecord], out_dir: Path, source_fingerprint: str = "", warnings: list[str] | None = None
) -> Path:
    """`source_fingerprint` and `warnings` let the next build with nothing changed skip loading the course."""
    report = {
        "generator": f"ccm-scorm {__version__}",
        "source_fingerprint": source_fingerprint,
        "warnings": list(warnings or []),
        "packages": [asdict(record) for record in sorted(records, key=lambda r: (r.target, r.kind, r.id))],
    }
    path = out_dir / REPORT_NAME
    write_atomically(path, (json.dumps(report, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    return path


def read_report_document(out_dir: Path) -> dict:
    """The earlier build report as it was written, or {} when there is none or it cannot be read."""
    try:
        document = json.loads((out_dir / REPORT_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return document if isinstance(document, dict) else {}


def read_build_report(out_dir: Path) -> list[PackageRecord]:
    """The records of an earlier build, or [] when there is none or it cannot be read."""
    return report_records(read_report_document(out_dir))


def report_records(document: dict) -> list[PackageRecord]:
    """The package records of a build report document, or [] when they cannot be read."""
    try:
        return [PackageRecord(**{**item, "competencies": tuple(item["competencies"])}) for item in document["packages"]]
    except (KeyError, TypeError):
        return []
