"""Helpers for the SCORM tests: offline XSD validation against ../shared/schemas, building
packages into served folders, and answering the runtime's quiz from Python (keyboard only).

The schema files are read where they are (../shared/schemas); they are never copied.
"""

from __future__ import annotations

import functools
import io
import zipfile
from pathlib import Path

from .paths import REPO_ROOT

SCHEMAS = REPO_ROOT.parent / "shared" / "schemas"

_NS12 = (("http://www.imsproject.org/xsd/imscp_rootv1p1p2", "imscp_rootv1p1p2.xsd"),
         ("http://www.adlnet.org/xsd/adlcp_rootv1p2", "adlcp_rootv1p2.xsd"),
         ("http://www.imsglobal.org/xsd/imsmd_rootv1p2p1", "imsmd_rootv1p2p1.xsd"))
_NS2004 = (("http://www.imsglobal.org/xsd/imscp_v1p1", "imscp_v1p1.xsd"),
           ("http://www.adlnet.org/xsd/adlcp_v1p3", "adlcp_v1p3.xsd"),
           ("http://www.adlnet.org/xsd/adlseq_v1p3", "adlseq_v1p3.xsd"),
           ("http://www.adlnet.org/xsd/adlnav_v1p3", "adlnav_v1p3.xsd"),
           ("http://www.imsglobal.org/xsd/imsss", "imsss_v1p0.xsd"))
XML_NS = "http://www.w3.org/XML/1998/namespace"


def _driver(imports: list[tuple[str, Path]]) -> str:
    lines = "".join(f'<xs:import namespace="{ns}" schemaLocation="{path.as_uri()}"/>' for ns, path in imports)
    return f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{lines}</xs:schema>'


@functools.lru_cache(maxsize=None)
def manifest_schema(edition: str):
    """The xmlschema object for "12" or "2004", built once, offline (allow='local').

    Quirks (../shared/schemas/README.md): SCORM 1.2's ims_xml.xsd binds a reserved prefix, so the
    XML namespace is imported first from the 2004 folder's W3C xml.xsd; imsmd_rootv1p2p1.xsd breaks
    the unique-particle rule, so the 1.2 schema is built in lax mode (instances are still validated
    strictly).
    """
    import xmlschema

    if edition == "12":
        folder = SCHEMAS / "scorm12"
        imports = [(XML_NS, SCHEMAS / "scorm2004-4th" / "xml.xsd")] + [(ns, folder / name) for ns, name in _NS12]
        return xmlschema.XMLSchema(_driver(imports), allow="local", base_url=str(folder), validation="lax")
    folder = SCHEMAS / "scorm2004-4th"
    return xmlschema.XMLSchema(_driver([(ns, folder / name) for ns, name in _NS2004]), allow="local",
                               base_url=str(folder))


def manifest_errors(manifest: bytes, edition: str) -> list[str]:
    return [str(error) for error in manifest_schema(edition).iter_errors(manifest.decode("utf-8"))]


def unzip(data: bytes, folder: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(folder)
    return folder
