"""Exports of the course's competency framework: Moodle CSV, IMS CASE 1.0 JSON, Markdown,
and the package -> competency mapping (docs/framework-exports.md)."""

from .exports import EXPORT_FORMATS, FrameworkExportError, case_json, mapping_csv, markdown, moodle_csv

__all__ = ["EXPORT_FORMATS", "FrameworkExportError", "case_json", "mapping_csv", "markdown", "moodle_csv"]
