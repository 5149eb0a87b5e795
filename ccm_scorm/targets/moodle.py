"""Moodle course backups (.mbz): the catalogue as one Moodle course, and one course per pathway.

`ccm build --target moodle` writes `moodle/<course>.mbz` (the whole catalogue: a section
per pathway, in the course file's order, then a section for modules in no pathway) and
`moodle/<pathway>.mbz` (one section). Each module is one SCORM activity holding the
module's SCORM 1.2 package (built by the scorm12 target), set as `moodle_settings`
recommends, with automatic completion on status Passed (quiz) or Completed (no quiz),
linked to the competencies the module evidences with "Complete the competency". The
course completes when every activity is complete. A module in several pathways sits in
the first pathway's section only (an activity has one section; a copy would be graded
and completed separately).

What goes in is what Moodle 5.1's own backup of such a course holds (`moodle_backup.xml`,
`course/`, `sections/section_N/`, `activities/scorm_N/`, `files.xml` and the file pool
`files/<2 hex>/<sha1>`). Restore does not read the SCORM manifest, so each activity carries
its SCO rows and both the package zip (file area `package`) and its extracted files
(file area `content`, which the player serves). Competencies are named by framework and
competency id number; restore drops any link whose framework is not on the site, so the
framework CSV (`ccm framework export --format moodle-csv`) must be imported first.

Every timestamp is the fixed BACKUP_TIME and every id is a position, so the same source
gives the same bytes.
"""

from __future__ import annotations

import hashlib
import html
import posixpath
from dataclasses import dataclass, replace

from lxml import etree

from ..model import Course, Module, Pathway
from ..package import zip_bytes
from .base import BuildOptions, BuildRefused, Capabilities, Package, Target, course_unit_id
from .moodle_settings import ScormActivitySettings, recommended_settings
from .scorm12 import Scorm12Target

NULL = "$@NULL@$"  # how Moodle's backups write a database NULL
BACKUP_TIME = 946684800  # 2000-01-01 00:00 UTC: every time in the backup, so builds are reproducible
MOODLE_VERSION = "2025100600"  # the Moodle 5.1 backup format, as its own backups declare it
MOODLE_RELEASE = "5.1"
SCORM_MODULE_VERSION = "2025100600"
COURSE_FORMAT = "topics"
# Moodle 5.1's column widths (read from its database): names are varchar(1333); short names, SCO rows,
# file names and the package reference varchar(255); id numbers varchar(100).
NAME_MAX = 1333  # course.fullname, course_sections.name, scorm.name, grade_items.itemname
TEXT_COLUMN_MAX = 255  # course.shortname, scorm.reference, scorm_scoes.manifest/identifier/title, files.filename
IDNUMBER_MAX = 100  # course_modules.idnumber
RULE_COMPLETE_COMPETENCY = 3  # course_module_competency::OUTCOME_COMPLETE
COURSE_RULE_EVIDENCE = 1  # course_competency::OUTCOME_EVIDENCE, what Moodle gives a course link by default
COMPLETION_AUTOMATIC = 2
COMPLETION_CRITERIA_ACTIVITY = 4
COMPLETION_AGGREGATION_ALL = 1
STATUS_REQUIRED = {"passed": 2, "completed": 4}  # mod_scorm's completionstatusrequired bit values
GRADE_CATEGORY_ID = 1
COURSE_CONTEXT_ID = 2
SYSTEM_CONTEXT_ID = 1
MIME_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".js": "application/x-javascript",
    ".css": "text/css",
    ".xml": "application/xml",
    ".xsd": "application/xml",
    ".dtd": "application/xml-dtd",
    ".json": "application/json",
    ".zip": "application/zip",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
    ".woff2": "font/woff2",
    ".txt": "text/plain",
    ".pdf": "application/pdf",
}
ROOT_SETTINGS_ON = ("activities", "files", "competencies")
ROOT_SETTINGS_OFF = (
    "imscc11",
    "users",
    "anonymize",
    "role_assignments",
    "blocks",
    "filters",
    "comments",
    "badges",
    "calendarevents",
    "userscompletion",
    "logs",
    "grade_histories",
    "groups",
    "customfield",
    "contentbankcontent",
    "xapistate",
    "legacyfiles",
)
FRAMEWORK_FIRST_NOTE = (
    "import the competency framework into Moodle before restoring the course backups — Site administration > "
    "Competencies > Import competency framework, with the file from `ccm framework export --format moodle-csv`. "
    "Moodle's restore silently drops every competency link whose framework or competency id number it cannot "
    "find (see docs/moodle-course.md)"
)


# ------------------------------------------------------------------ the course, as plain data
@dataclass(frozen=True)
class Section:
    number: int  # 0 is the course's general section
    name: str
    summary_html: str
    module_ids: tuple[str, ...]

    @property
    def backup_id(self) -> int:
        return self.number + 1


@dataclass(frozen=True)
class StoredFile:
    """One row of Moodle's files table, as files.xml holds it."""

    id: int
    context_id: int
    filearea: str
    filepath: str
    filename: str
    data: bytes

    @property
    def contenthash(self) -> str:
        return hashlib.sha1(self.data).hexdigest()

    @property
    def is_directory(self) -> bool:
        return self.filename == "."


@dataclass(frozen=True)
class Activity:
    """One SCORM activity: cm id, scorm id and grade item id are all `number`."""

    number: int
    module: Module
    section: Section
    settings: ScormActivitySettings
    package_name: str
    package: bytes
    content: dict[str, bytes]

    @property
    def context_id(self) -> int:
        return 100 + self.number

    @property
    def directory(self) -> str:
        return f"activities/scorm_{self.number}"


@dataclass(frozen=True)
class CourseBackup:
    fullname: str
    shortname: str
    summary_html: str
    sections: tuple[Section, ...]
    activities: tuple[Activity, ...]
    framework_id: str
    competency_ids: tuple[str, ...]


# ------------------------------------------------------------------ the target
class MoodleTarget(Target):
    name = "moodle"
    title = "Moodle course backup (.mbz): one SCORM 1.2 activity per module, completion and competencies wired"
    label = "Moodle course"
    position = 60
    capabilities = Capabilities(modules=False, pathways=True, course=True, lms_profiles=("moodle",))
    options = Scorm12Target.options  # the SCORM 1.2 packages inside take them (--schema-dir)
    archive = "mbz"

    def build_course(self, course: Course, options: BuildOptions) -> Package:
        """The whole catalogue: a section per pathway, then one for the modules in no pathway."""
        sections = catalogue_sections(course)
        backup = course_backup(
            course,
            course.settings.title,
            course_unit_id(course),
            f"<p>{html.escape(course.settings.title)}</p>",
            sections,
            options,
        )
        return self._package("course", course_unit_id(course), course.framework.version, course.settings.title, backup)

    def build_pathway(self, course: Course, pathway: Pathway, options: BuildOptions) -> Package:
        """One pathway as a course of its own, with one section."""
        section = Section(1, pathway.title, paragraph(pathway.description), pathway.module_ids)
        backup = course_backup(
            course, pathway.title, pathway.id, paragraph(pathway.description), (general_section(), section), options
        )
        return self._package("pathway", pathway.id, pathway.version, pathway.title, backup)

    def course_notes(self, course: Course, options: BuildOptions) -> list[str]:
        return [FRAMEWORK_FIRST_NOTE]

    def _package(self, kind: str, unit_id: str, version: str, title: str, backup: CourseBackup) -> Package:
        return Package(
            target=self.name,
            unit_id=unit_id,
            unit_kind=kind,
            version=version,
            title=title,
            files=backup_files(backup),
            competency_ids=backup.competency_ids,
            lms="moodle",
            archive=self.archive,
        )


def paragraph(text: str) -> str:
    return f"<p>{html.escape(' '.join(text.split()))}</p>" if text.strip() else ""


def general_section() -> Section:
    return Section(0, "", "", ())


def catalogue_sections(course: Course) -> tuple[Section, ...]:
    """Section 0, then one per pathway with the modules not already placed, then the modules in no pathway."""
    sections = [general_section()]
    placed: set[str] = set()
    for pathway in course.pathways:
        module_ids = tuple(m for m in pathway.module_ids if m not in placed)
        placed.update(module_ids)
        sections.append(Section(len(sections), pathway.title, paragraph(pathway.description), module_ids))
    rest = tuple(module.id for module in course.modules if module.id not in placed)
    if rest:
        sections.append(Section(len(sections), course.settings.messages.text("moodle.more_modules"), "", rest))
    return tuple(sections)


def course_backup(
    course: Course,
    fullname: str,
    shortname: str,
    summary_html: str,
    sections: tuple[Section, ...],
    options: BuildOptions,
) -> CourseBackup:
    check_length("course full name", fullname, NAME_MAX)
    check_length("course short name", shortname, TEXT_COLUMN_MAX)
    scorm12 = Scorm12Target()
    scorm_options = replace(options, lms="moodle")
    activities: list[Activity] = []
    for section in sections:
        check_length("section name", section.name, NAME_MAX)
        for module_id in section.module_ids:
            module = course.module(module_id)
            check_length("activity name", module.title, NAME_MAX)
            check_length("module id (the activity's ID number)", module.id, IDNUMBER_MAX)
            check_length("package file name", f"{module.id}.zip", TEXT_COLUMN_MAX)
            files = scorm12.build_module(course, module, scorm_options).files
            activities.append(
                Activity(
                    number=len(activities) + 1,
                    module=module,
                    section=section,
                    settings=recommended_settings(module),
                    package_name=f"{module.id}.zip",
                    package=zip_bytes(files),
                    content=files,
                )
            )
    competency_ids: list[str] = []
    for activity in activities:
        competency_ids += [c for c in activity.module.evidenced_competency_ids() if c not in competency_ids]
    return CourseBackup(
        fullname, shortname, summary_html, sections, tuple(activities), course.framework.id, tuple(competency_ids)
    )


def check_length(what: str, value: str, limit: int) -> None:
    if len(value) > limit:
        raise BuildRefused(
            f"the {what} {value[:60]!r}… is {len(value)} characters long; Moodle keeps at most "
            f"{limit}: shorten it in the source. The course backup was not written."
        )


# ------------------------------------------------------------------ XML helpers
def element(tag: str, children: dict[str, object] | None = None, **attributes: object) -> etree._Element:
    """<tag attr=…> with one child element per key (None becomes Moodle's NULL marker)."""
    node = etree.Element(tag, {k: str(v) for k, v in attributes.items()})
    for name, value in (children or {}).items():
        add(node, name, value)
    return node


def add(parent: etree._Element, tag: str, value: object = None, **attributes: object) -> etree._Element:
    child = etree.SubElement(parent, tag, {k: str(v) for k, v in attributes.items()})
    if isinstance(value, etree._Element):
        child.append(value)
    elif isinstance(value, list):
        for item in value:
            child.append(item)
    elif isinstance(value, dict):
        for name, inner in value.items():
            add(child, name, inner)
    else:
        child.text = NULL if value is None else str(value)
    return child


def empty(tag: str, *children: str) -> etree._Element:
    node = etree.Element(tag)
    for name in children:
        etree.SubElement(node, name)
    return node


XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'  # restore looks for exactly this, double quotes


def xml_bytes(root: etree._Element) -> bytes:
    return XML_DECLARATION + etree.tostring(root, xml_declaration=False, encoding="UTF-8", pretty_print=True)


# ------------------------------------------------------------------ the backup's files
def backup_files(backup: CourseBackup) -> dict[str, bytes]:
    stored = stored_files(backup)
    files = {
        "moodle_backup.xml": xml_bytes(moodle_backup_xml(backup)),
        "files.xml": xml_bytes(files_xml(stored)),
        "completion.xml": xml_bytes(course_completion_xml(backup)),
        "gradebook.xml": xml_bytes(gradebook_xml(backup)),
        "course/course.xml": xml_bytes(course_xml(backup)),
        "course/competencies.xml": xml_bytes(course_competencies_xml(backup)),
        "course/inforef.xml": xml_bytes(empty("inforef")),
    }
    files.update(empty_files(EMPTY_ROOT_FILES))
    files.update(empty_files({f"course/{name}": tags for name, tags in EMPTY_COURSE_FILES.items()}))
    for section in backup.sections:
        files[f"sections/section_{section.backup_id}/section.xml"] = xml_bytes(section_xml(backup, section))
        files[f"sections/section_{section.backup_id}/inforef.xml"] = xml_bytes(empty("inforef"))
    by_context: dict[int, list[StoredFile]] = {}
    for item in stored:
        by_context.setdefault(item.context_id, []).append(item)
    for activity in backup.activities:
        files.update(activity_files(backup, activity, by_context[activity.context_id]))
    for item in stored:
        files.setdefault(f"files/{item.contenthash[:2]}/{item.contenthash}", item.data)
    return files


EMPTY_ROOT_FILES = {
    "users.xml": ("users",),
    "roles.xml": ("roles_definition",),
    "scales.xml": ("scales_definition",),
    "outcomes.xml": ("outcomes_definition",),
    "questions.xml": ("question_categories",),
    "badges.xml": ("badges",),
    "groups.xml": ("groups", "groupings"),
    "grade_history.xml": ("grade_history", "grade_grades"),
}
EMPTY_COURSE_FILES = {
    "roles.xml": ("roles", "role_overrides", "role_assignments"),
    "filters.xml": ("filters", "filter_actives", "filter_configs"),
    "comments.xml": ("comments",),
    "calendar.xml": ("events",),
    "enrolments.xml": ("enrolments", "enrols"),
    "completiondefaults.xml": ("course_completion_defaults",),
    "contentbank.xml": ("contents",),
}
EMPTY_ACTIVITY_FILES = {
    "roles.xml": ("roles", "role_overrides", "role_assignments"),
    "filters.xml": ("filters", "filter_actives", "filter_configs"),
    "comments.xml": ("comments",),
    "calendar.xml": ("events",),
    "completion.xml": ("completions", "completionviews"),
    "grade_history.xml": ("grade_history", "grade_grades"),
    "xapistate.xml": ("states",),
}


def empty_files(spec: dict[str, tuple[str, ...]]) -> dict[str, bytes]:
    return {path: xml_bytes(empty(*tags)) for path, tags in spec.items()}


def activity_files(backup: CourseBackup, activity: Activity, stored: list[StoredFile]) -> dict[str, bytes]:
    base = activity.directory
    files = {
        f"{base}/module.xml": xml_bytes(module_xml(activity)),
        f"{base}/scorm.xml": xml_bytes(scorm_xml(activity)),
        f"{base}/grades.xml": xml_bytes(activity_grades_xml(activity)),
        f"{base}/competencies.xml": xml_bytes(activity_competencies_xml(backup, activity)),
        f"{base}/inforef.xml": xml_bytes(activity_inforef_xml(activity, stored)),
    }
    files.update(empty_files({f"{base}/{name}": tags for name, tags in EMPTY_ACTIVITY_FILES.items()}))
    return files


def moodle_backup_xml(backup: CourseBackup) -> etree._Element:
    root = etree.Element("moodle_backup")
    info = add(
        root,
        "information",
        {
            "name": f"{backup.shortname}.mbz",
            "moodle_version": MOODLE_VERSION,
            "moodle_release": MOODLE_RELEASE,
            "backup_version": MOODLE_VERSION,
            "backup_release": MOODLE_RELEASE,
            "backup_date": BACKUP_TIME,
            "mnet_remoteusers": 0,
            "include_files": 1,
            "include_file_references_to_external_content": 0,
            "original_wwwroot": "https://ccm-scorm.invalid",
            "original_site_identifier_hash": backup_hash(backup),
            "original_course_id": 1,
            "original_course_format": COURSE_FORMAT,
            "original_course_fullname": backup.fullname,
            "original_course_shortname": backup.shortname,
            "original_course_startdate": BACKUP_TIME,
            "original_course_enddate": 0,
            "original_course_contextid": COURSE_CONTEXT_ID,
            "original_system_contextid": SYSTEM_CONTEXT_ID,
        },
    )
    details = add(info, "details")
    add(
        details,
        "detail",
        {"type": "course", "format": "moodle2", "interactive": 1, "mode": 10, "execution": 1, "executiontime": 0},
        backup_id=backup_hash(backup),
    )
    contents = add(info, "contents")
    add(
        contents,
        "activities",
        [
            element(
                "activity",
                {
                    "moduleid": a.number,
                    "sectionid": a.section.backup_id,
                    "modulename": "scorm",
                    "title": a.module.title,
                    "directory": a.directory,
                    "insubsection": "",
                },
            )
            for a in backup.activities
        ],
    )
    add(
        contents,
        "sections",
        [
            element(
                "section",
                {
                    "sectionid": s.backup_id,
                    "title": s.name or str(s.number),
                    "directory": f"sections/section_{s.backup_id}",
                    "parentcmid": "",
                    "modname": "",
                },
            )
            for s in backup.sections
        ],
    )
    add(contents, "course", {"courseid": 1, "title": backup.shortname, "directory": "course"})
    settings = add(info, "settings")
    settings.append(element("setting", {"level": "root", "name": "filename", "value": f"{backup.shortname}.mbz"}))
    for name in ROOT_SETTINGS_OFF + ROOT_SETTINGS_ON:
        settings.append(element("setting", {"level": "root", "name": name, "value": int(name in ROOT_SETTINGS_ON)}))
    for section in backup.sections:
        key = f"section_{section.backup_id}"
        for suffix, value in (("included", 1), ("userinfo", 0)):
            settings.append(
                element("setting", {"level": "section", "section": key, "name": f"{key}_{suffix}", "value": value})
            )
        for activity in (a for a in backup.activities if a.section == section):
            key_a = f"scorm_{activity.number}"
            for suffix, value in (("included", 1), ("userinfo", 0)):
                settings.append(
                    element(
                        "setting", {"level": "activity", "activity": key_a, "name": f"{key_a}_{suffix}", "value": value}
                    )
                )
    return root


def backup_hash(backup: CourseBackup) -> str:
    """A stable 32-hex id for this backup (Moodle uses an md5 in these places)."""
    return hashlib.md5(f"ccm-scorm:{backup.shortname}".encode()).hexdigest()


def course_xml(backup: CourseBackup) -> etree._Element:
    root = element(
        "course",
        {
            "shortname": backup.shortname,
            "fullname": backup.fullname,
            "idnumber": "",
            "summary": backup.summary_html,
            "summaryformat": 1,
            "format": COURSE_FORMAT,
            "showgrades": 1,
            "newsitems": 0,
            "startdate": BACKUP_TIME,
            "enddate": 0,
            "marker": 0,
            "maxbytes": 0,
            "legacyfiles": 0,
            "showreports": 0,
            "visible": 1,
            "groupmode": 0,
            "groupmodeforce": 0,
            "defaultgroupingid": 0,
            "lang": "",
            "theme": "",
            "timecreated": BACKUP_TIME,
            "timemodified": BACKUP_TIME,
            "requested": 0,
            "showactivitydates": 0,
            "showcompletionconditions": 1,
            "pdfexportfont": None,
            "enablecompletion": 1,
            "completionnotify": 0,
            "enableaitools": None,
        },
        id=1,
        contextid=COURSE_CONTEXT_ID,
    )
    add(root, "category", {"name": "Miscellaneous", "description": None}, id=1)
    add(root, "tags")
    add(root, "customfields")
    add(
        root,
        "courseformatoptions",
        [
            element("courseformatoption", {"format": COURSE_FORMAT, "sectionid": 0, "name": name, "value": value})
            for name, value in (("hiddensections", 1), ("coursedisplay", 0))
        ],
    )
    return root


def section_xml(backup: CourseBackup, section: Section) -> etree._Element:
    sequence = ",".join(str(a.number) for a in backup.activities if a.section == section)
    return element(
        "section",
        {
            "number": section.number,
            "name": section.name or None,
            "summary": section.summary_html,
            "summaryformat": 1,
            "sequence": sequence,
            "visible": 1,
            "availabilityjson": None,
            "component": None,
            "itemid": None,
            "timemodified": BACKUP_TIME,
        },
        id=section.backup_id,
    )


def module_xml(activity: Activity) -> etree._Element:
    return element(
        "module",
        {
            "modulename": "scorm",
            "sectionid": activity.section.backup_id,
            "sectionnumber": activity.section.number,
            "idnumber": activity.module.id,
            "added": BACKUP_TIME,
            "score": 0,
            "indent": 0,
            "visible": 1,
            "visibleoncoursepage": 1,
            "visibleold": 1,
            "groupmode": 0,
            "groupingid": 0,
            "completion": COMPLETION_AUTOMATIC,
            "completiongradeitemnumber": None,
            "completionpassgrade": 0,
            "completionview": 0,
            "completionexpected": 0,
            "availability": None,
            "showdescription": 0,
            "downloadcontent": 1,
            "lang": None,
            "enableaitools": None,
            "enabledaiactions": None,
            "tags": [],
        },
        id=activity.number,
        version=SCORM_MODULE_VERSION,
    )


def activity_intro(module: Module) -> str:
    intro = paragraph(module.summary)
    if module.outcomes:
        intro += "<ul>" + "".join(f"<li>{html.escape(o)}</li>" for o in module.outcomes) + "</ul>"
    return intro


def scorm_xml(activity: Activity) -> etree._Element:
    s = activity.settings
    scorm = element(
        "scorm",
        {
            "name": activity.module.title,
            "scormtype": "local",
            "reference": activity.package_name,
            "intro": activity_intro(activity.module),
            "introformat": 1,
            "version": "SCORM_1.2",
            "maxgrade": s.max_grade,
            "grademethod": s.grade_method,
            "whatgrade": s.what_grade,
            "maxattempt": s.max_attempts,
            "forcecompleted": s.force_completed,
            "forcenewattempt": s.force_new_attempt,
            "lastattemptlock": s.last_attempt_lock,
            "masteryoverride": s.mastery_override,
            "displayattemptstatus": 1,
            "displaycoursestructure": 0,
            "updatefreq": 0,
            "sha1hash": hashlib.sha1(activity.package).hexdigest(),
            "md5hash": "",
            "revision": 1,
            "launch": launch_sco_id(activity),
            "skipview": 0,
            "hidebrowse": 0,
            "hidetoc": 0,
            "nav": 1,
            "navpositionleft": -100,
            "navpositiontop": -100,
            "auto": 0,
            "popup": s.display,
            "options": "",
            "width": 100,
            "height": 500,
            "timeopen": 0,
            "timeclose": 0,
            "timemodified": BACKUP_TIME,
            "completionstatusrequired": STATUS_REQUIRED[s.completion_status_required],
            "completionscorerequired": None,
            "completionstatusallscos": 0,
            "autocommit": 0,
        },
        id=activity.number,
    )
    add(scorm, "scoes", [sco_element(activity, n, sco) for n, sco in enumerate(manifest_scoes(activity), start=1)])
    root = element(
        "activity", moduleid=activity.number, modulename="scorm", contextid=activity.context_id, id=activity.number
    )
    root.append(scorm)
    return root


@dataclass(frozen=True)
class Sco:
    """One row of scorm_scoes as Moodle's SCORM 1.2 parser makes it from the manifest."""

    manifest: str
    organization: str
    parent: str
    identifier: str
    launch: str
    scormtype: str
    title: str
    data: tuple[tuple[str, str], ...]


def manifest_scoes(activity: Activity) -> list[Sco]:
    """The organization and its items, from the manifest the scorm12 target wrote for this module."""
    root = etree.fromstring(activity.content["imsmanifest.xml"])
    ns = {"cp": root.nsmap[None], "adlcp": root.nsmap["adlcp"]}
    resources = {r.get("identifier"): r for r in root.iterfind("cp:resources/cp:resource", ns)}
    manifest_id = root.get("identifier")
    rows: list[Sco] = []
    for organization in root.iterfind("cp:organizations/cp:organization", ns):
        org_id = organization.get("identifier")
        rows.append(Sco(manifest_id, "", "/", org_id, "", "", organization.findtext("cp:title", "", ns), ()))
        rows += [
            item_sco(item, manifest_id, org_id, resources, ns) for item in organization.iter(f"{{{ns['cp']}}}item")
        ]
    for row in rows:
        for what in ("manifest", "organization", "parent", "identifier", "title"):
            check_length(f"SCO {what}", getattr(row, what), TEXT_COLUMN_MAX)
    return rows


def item_sco(item: etree._Element, manifest_id: str, org_id: str, resources: dict, ns: dict[str, str]) -> Sco:
    """One <item>: its resource's launch file and SCORM type, and the data Moodle's 1.2 parser keeps."""
    resource = resources.get(item.get("identifierref", ""))
    data = [("isvisible", item.get("isvisible", "true")), ("parameters", item.get("parameters", ""))]
    mastery = item.findtext("adlcp:masteryscore", None, ns)
    if mastery is not None:
        data.append(("masteryscore", mastery.strip()))
    launch = resource.get("href", "") if resource is not None else ""
    scormtype = resource.get(f"{{{ns['adlcp']}}}scormtype", "") if resource is not None else ""
    return Sco(
        manifest_id,
        org_id,
        item.getparent().get("identifier"),
        item.get("identifier"),
        launch,
        scormtype,
        item.findtext("cp:title", "", ns),
        tuple(data),
    )


def sco_id(activity: Activity, number: int) -> int:
    return activity.number * 100 + number


def launch_sco_id(activity: Activity) -> int:
    """The first launchable SCO, which Moodle opens on Enter."""
    return next(sco_id(activity, n) for n, sco in enumerate(manifest_scoes(activity), start=1) if sco.launch)


def sco_element(activity: Activity, number: int, sco: Sco) -> etree._Element:
    row_id = sco_id(activity, number)
    node = element(
        "sco",
        {
            "manifest": sco.manifest,
            "organization": sco.organization,
            "parent": sco.parent,
            "identifier": sco.identifier,
            "launch": sco.launch,
            "scormtype": sco.scormtype,
            "title": sco.title,
            "sortorder": number,
        },
        id=row_id,
    )
    add(
        node,
        "sco_datas",
        [
            element("sco_data", {"name": name, "value": value}, id=row_id * 10 + n)
            for n, (name, value) in enumerate(sco.data, start=1)
        ],
    )
    for name in ("seq_ruleconds", "seq_rolluprules", "seq_objectives", "sco_tracks"):
        add(node, name)
    return node


def grade_item(item_id: int, values: dict[str, object]) -> etree._Element:
    fields: dict[str, object] = {
        "categoryid": None,
        "itemname": None,
        "itemtype": "course",
        "itemmodule": None,
        "iteminstance": 1,
        "itemnumber": None,
        "iteminfo": None,
        "idnumber": None,
        "calculation": None,
        "gradetype": 1,
        "grademax": "100.00000",
        "grademin": "0.00000",
        "scaleid": None,
        "outcomeid": None,
        "gradepass": "0.00000",
        "multfactor": "1.00000",
        "plusfactor": "0.00000",
        "aggregationcoef": "0.00000",
        "aggregationcoef2": "0.00000",
        "weightoverride": 0,
        "sortorder": 1,
        "display": 0,
        "decimals": None,
        "hidden": 0,
        "locked": 0,
        "locktime": 0,
        "needsupdate": 0,
        "timecreated": BACKUP_TIME,
        "timemodified": BACKUP_TIME,
        "grade_grades": [],
    }
    fields.update(values)
    return element("grade_item", fields, id=item_id)


def activity_grades_xml(activity: Activity) -> etree._Element:
    module = activity.module
    pass_grade = module.pass_mark * activity.settings.max_grade / 100 if module.has_quiz else 0
    root = etree.Element("activity_gradebook")
    add(
        root,
        "grade_items",
        [
            grade_item(
                activity.number + 1,
                {
                    "categoryid": GRADE_CATEGORY_ID,
                    "itemname": module.title,
                    "itemtype": "mod",
                    "itemmodule": "scorm",
                    "iteminstance": activity.number,
                    "itemnumber": 0,
                    "idnumber": "",
                    "grademax": f"{activity.settings.max_grade:.5f}",
                    "gradepass": f"{pass_grade:.5f}",
                    "sortorder": activity.number + 1,
                },
            )
        ],
    )
    add(root, "grade_letters")
    return root


def gradebook_xml(backup: CourseBackup) -> etree._Element:
    root = etree.Element("gradebook")
    add(root, "attributes")
    add(
        root,
        "grade_categories",
        [
            element(
                "grade_category",
                {
                    "parent": None,
                    "depth": 1,
                    "path": f"/{GRADE_CATEGORY_ID}/",
                    "fullname": "?",
                    "aggregation": 13,
                    "keephigh": 0,
                    "droplow": 0,
                    "aggregateonlygraded": 1,
                    "aggregateoutcomes": 0,
                    "timecreated": BACKUP_TIME,
                    "timemodified": BACKUP_TIME,
                    "hidden": 0,
                },
                id=GRADE_CATEGORY_ID,
            )
        ],
    )
    add(
        root,
        "grade_items",
        [grade_item(1, {"iteminstance": GRADE_CATEGORY_ID, "grademax": f"{100 * len(backup.activities):.5f}"})],
    )
    add(root, "grade_letters")
    add(root, "grade_settings")
    return root


def course_completion_xml(backup: CourseBackup) -> etree._Element:
    root = etree.Element("course_completion")
    for activity in backup.activities:
        add(
            root,
            "course_completion_criteria",
            {
                "course": 1,
                "criteriatype": COMPLETION_CRITERIA_ACTIVITY,
                "module": "scorm",
                "moduleinstance": activity.number,
                "courseinstanceshortname": None,
                "enrolperiod": None,
                "timeend": None,
                "gradepass": None,
                "role": None,
                "roleshortname": None,
                "course_completion_crit_completions": [],
            },
            id=activity.number,
        )
    for number, criteria_type in ((1, COMPLETION_CRITERIA_ACTIVITY), (2, None)):
        add(
            root,
            "course_completion_aggr_methd",
            {"course": 1, "criteriatype": criteria_type, "method": COMPLETION_AGGREGATION_ALL, "value": None},
            id=number,
        )
    return root


def course_competencies_xml(backup: CourseBackup) -> etree._Element:
    root = etree.Element("course_competencies")
    add(
        root,
        "competencies",
        [
            element(
                "competency",
                {
                    "id": n,
                    "idnumber": cid,
                    "ruleoutcome": COURSE_RULE_EVIDENCE,
                    "sortorder": n - 1,
                    "frameworkid": 1,
                    "frameworkidnumber": backup.framework_id,
                },
            )
            for n, cid in enumerate(backup.competency_ids, start=1)
        ],
    )
    add(root, "user_competencies")
    return root


def activity_competencies_xml(backup: CourseBackup, activity: Activity) -> etree._Element:
    root = etree.Element("course_module_competencies")
    add(
        root,
        "competencies",
        [
            element(
                "competency",
                {
                    "idnumber": cid,
                    "ruleoutcome": RULE_COMPLETE_COMPETENCY,
                    "sortorder": n,
                    "frameworkidnumber": backup.framework_id,
                    "overridegrade": 0,
                },
            )
            for n, cid in enumerate(activity.module.evidenced_competency_ids())
        ],
    )
    return root


def activity_inforef_xml(activity: Activity, stored: list[StoredFile]) -> etree._Element:
    root = etree.Element("inforef")
    add(root, "fileref", [element("file", {"id": item.id}) for item in stored])
    add(root, "grade_itemref", [element("grade_item", {"id": activity.number + 1})])
    return root


# ------------------------------------------------------------------ files.xml and the file pool
def stored_files(backup: CourseBackup) -> list[StoredFile]:
    """Every activity's package zip and extracted content, with the directory rows Moodle keeps."""
    rows: list[StoredFile] = []
    for activity in backup.activities:
        areas = (("package", {activity.package_name: activity.package}), ("content", activity.content))
        for filearea, files in areas:
            for filepath, filename, data in area_entries(files):
                check_length("file path", filepath, TEXT_COLUMN_MAX)
                check_length("file name", filename, TEXT_COLUMN_MAX)
                rows.append(StoredFile(len(rows) + 1, activity.context_id, filearea, filepath, filename, data))
    return rows


def area_entries(files: dict[str, bytes]) -> list[tuple[str, str, bytes]]:
    """(filepath, filename, data) for each file and each folder ("." rows), sorted as Moodle lists them."""
    directories = {"/"}
    entries = []
    for name in sorted(files):
        folder = posixpath.dirname(name)
        filepath = f"/{folder}/" if folder else "/"
        entries.append((filepath, posixpath.basename(name), files[name]))
        while folder:
            directories.add(f"/{folder}/")
            folder = posixpath.dirname(folder)
    entries += [(directory, ".", b"") for directory in directories]
    return sorted(entries, key=lambda e: (e[0], e[1]))


def files_xml(stored: list[StoredFile]) -> etree._Element:
    root = etree.Element("files")
    for item in stored:
        extension = posixpath.splitext(item.filename)[1].lower()
        add(
            root,
            "file",
            {
                "contenthash": item.contenthash,
                "contextid": item.context_id,
                "component": "mod_scorm",
                "filearea": item.filearea,
                "itemid": 0,
                "filepath": item.filepath,
                "filename": item.filename,
                "userid": None,
                "filesize": len(item.data),
                "mimetype": None if item.is_directory else MIME_TYPES.get(extension, "application/octet-stream"),
                "status": 0,
                "timecreated": BACKUP_TIME,
                "timemodified": BACKUP_TIME,
                "source": None,
                "author": None,
                "license": None,
                "sortorder": 0,
                "repositorytype": None,
                "repositoryid": None,
                "reference": None,
            },
            id=item.id,
        )
    return root
