"""The `ccm` command line: click options only; each command's work is in ccm_scorm/commands/.

Every command runs through `_run`: it prints the command's `Outcome` (text or --json), prints any
`CcmError` as `error: ...` on stderr with the error's exit status, and turns Ctrl-C into exit 130.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import click

from . import __version__
from .commands import DEFAULT_SOURCE, Failed, Outcome
from .errors import EXIT_INTERRUPTED, CcmError, UsageProblem
from .source.schema import LMS_PROFILES
from .targets import TargetError, module_target_names, target_names, target_options

DEFAULT_OUT = "packages_out"
INTERRUPTED = "interrupted; nothing more was done"


class _StderrLog(logging.Handler):
    """The `ccm_scorm` logger on stderr: warnings as `warning: ...`, notices as they are."""

    def emit(self, record: logging.LogRecord) -> None:
        prefix = "warning: " if record.levelno >= logging.WARNING else ""
        click.echo(prefix + record.getMessage(), err=True)


@contextmanager
def _logged_to_stderr():
    log = logging.getLogger("ccm_scorm")
    handler, level, propagate = _StderrLog(logging.INFO), log.level, log.propagate
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    try:
        yield
    finally:
        log.removeHandler(handler)
        log.setLevel(level)
        log.propagate = propagate


def _print(outcome: Outcome, as_json: bool) -> None:
    """The one printer: stderr lines first, then the --json form or the text form on stdout."""
    for line in outcome.err if as_json else outcome.err + outcome.text_err:
        click.echo(line, err=True)
    if as_json:
        click.echo(json.dumps(outcome.data, indent=2, ensure_ascii=outcome.ascii_json))
        return
    if outcome.text is not None:
        click.echo(outcome.text, nl=False)
    for line in outcome.out:
        click.echo(line)


def _print_failure(error: CcmError, as_json: bool) -> None:
    found = error.outcome if isinstance(error, Failed) else None
    for line in (found.err if found else []) + error.lines():
        click.echo(line, err=True)
    if as_json and found:
        click.echo(json.dumps(found.data, indent=2, ensure_ascii=found.ascii_json))


def _run(command: Callable[[], Outcome], as_json: bool = False, interrupted: str = INTERRUPTED) -> None:
    """Run one command and exit with its status (the one error handler of the command line)."""
    try:
        with _logged_to_stderr():
            outcome = command()
            _print(outcome, as_json)  # inside: a Ctrl-C while it prints is still exit 130
    except CcmError as error:
        _print_failure(error, as_json)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        click.echo(interrupted, err=True)
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(outcome.exit_code)


def _registered(read):
    """What the target registry says, or the plugin's problem as one line (never a traceback) and exit 3."""
    try:
        return read()
    except CcmError as error:
        _registry_failed(error)


def _registry_failed(error: CcmError):
    _print_failure(error, False)
    sys.exit(error.exit_code)


def _with_target_options(command):
    """One `ccm build` option for each option the registered targets declare (docs/targets.md)."""
    taken = {param.name for param in getattr(command, "__click_params__", [])}
    for name, (option, users) in reversed(list(_registered(target_options).items())):
        if name in taken:
            _registry_failed(
                TargetError(
                    f"the target {users[0]} declares {option.flag}, which ccm build already "
                    "has; that target must rename its option"
                )
            )
        folder = click.Path(exists=True, file_okay=False, path_type=Path)
        kind = {Path: folder, bool: None}.get(option.type, option.type)
        command = click.option(
            option.flag,
            name,
            type=kind,
            default=option.default,
            is_flag=option.type is bool,
            metavar=option.metavar or None,
            help=f"{option.help} Taken by: {', '.join(users)}.",
        )(command)
    return command


source_argument = click.argument("source", default=DEFAULT_SOURCE, type=click.Path(path_type=Path))


@click.group()
@click.version_option(__version__, prog_name="ccm")
def main() -> None:
    """Build competency-mapped SCORM, xAPI, cmi5 and offline web packages from a plain-text course."""


@main.command()
@source_argument
@click.option("--json", "as_json", is_flag=True, help="Print the problems and summary as JSON.")
def validate(source: Path, as_json: bool) -> None:
    """Check the course in SOURCE (default: modules) and list every problem."""
    from .commands.validate import validate as validate_course

    _run(lambda: validate_course(source), as_json)


@contextmanager
def _progress_bar(total: int, quiet: bool):
    """A progress bar on stderr while packages build, when stderr is a terminal (never in CI logs or --quiet)."""
    if quiet or total < 2 or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(
        length=total, label="building", file=sys.stderr, show_pos=True, item_show_func=lambda item: item
    ) as bar:
        yield lambda target, unit: bar.update(1, f"{unit} ({target})")


@main.command(name="build")
@source_argument
@click.option(
    "--target",
    "-t",
    "targets",
    multiple=True,
    type=click.Choice(_registered(target_names)),
    help="Output format; repeat for several. Default: the course file's targets.",
)
@click.option(
    "--out",
    "-o",
    "out_dir",
    default=DEFAULT_OUT,
    show_default=True,
    type=click.Path(path_type=Path),
    help="Folder for the packages and build-report.json.",
)
@click.option("--module", "-m", "module_ids", multiple=True, help="Build only this module; repeat for several.")
@click.option(
    "--pathway",
    "-p",
    "pathway_ids",
    multiple=True,
    help="Build only this pathway (one package with all its modules); repeat for several. "
    "Default, with no --module either: every pathway, for the targets that build pathways.",
)
@click.option(
    "--lms",
    type=click.Choice(list(LMS_PROFILES)),
    default=None,
    help="LMS profile for its checks and settings. Default: the course file's, else moodle.",
)
@click.option(
    "--lrs-auth",
    "lrs_credential",
    default=None,
    metavar="CREDENTIAL",
    help="Refused: LRS credentials never go into a package. Launchers pass them at launch time "
    "(see docs/xapi-cmi5.md).",
)
@click.option("--force", is_flag=True, help="Rebuild every package even if its inputs have not changed.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@click.option("--json", "as_json", is_flag=True, help="Print the build report as JSON.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Packages to build at once. Default: the number of CPU cores.",
)
@_with_target_options
def build_command(
    source: Path,
    targets: tuple[str, ...],
    out_dir: Path,
    module_ids: tuple[str, ...],
    lms: str | None,
    lrs_credential: str | None,
    force: bool,
    quiet: bool,
    as_json: bool,
    jobs: int | None,
    pathway_ids: tuple[str, ...] = (),
    **target_values,
) -> None:
    """Build packages from the course in SOURCE (default: modules; with none here, the bundled CCM catalogue)."""
    from .commands.build import INTERRUPTED as BUILD_INTERRUPTED
    from .commands.build import BuildAsk, build_packages

    ask = BuildAsk(
        out_dir=out_dir,
        targets=targets,
        module_ids=module_ids,
        pathway_ids=pathway_ids,
        lms=lms,
        lrs_credential=lrs_credential,
        target_values=target_values,
        force=force,
        jobs=jobs,
        quiet=quiet or as_json,
    )
    _run(lambda: build_packages(source, ask, lambda total: _progress_bar(total, ask.quiet)), as_json, BUILD_INTERRUPTED)


@main.command(name="issue")
@click.argument("roster", type=click.Path(path_type=Path))
@click.option("--pathway", "pathway_id", required=True, help="The pathway to issue, e.g. volunteer-induction.")
@click.option("--lrs", "endpoint", required=True, help="The LRS's xAPI endpoint, e.g. https://lrs.example.org/xAPI/.")
@click.option(
    "--launch-url", required=True, help="Where the pathway's xAPI package is published: the address of its index.html."
)
@click.option(
    "--out",
    "-o",
    "out_dir",
    default="issued",
    show_default=True,
    type=click.Path(path_type=Path),
    help="Folder for handouts.html, roster-issued.csv and go/ (issuing again keeps who is there).",
)
@click.option(
    "--source", default=DEFAULT_SOURCE, show_default=True, type=click.Path(path_type=Path), help="The course folder."
)
@click.option(
    "--unchecked",
    "--no-check-credential",
    "unchecked",
    is_flag=True,
    help="Make the links without the LRS showing that the credential can write and not read; "
    "every handout then says so.",
)
@click.option("--insecure", is_flag=True, help="Allow a plain http:// LRS that is not on this computer.")
def issue_command(
    roster: Path,
    pathway_id: str,
    endpoint: str,
    launch_url: str,
    out_dir: Path,
    source: Path,
    unchecked: bool,
    insecure: bool,
) -> None:
    """Give each volunteer in ROSTER (CSV) a personal launch link and a printable handout.

    The LRS credential put in the links is read from the environment variable
    CCM_LRS_WRITE_AUTH ('username:password') and must be write-only.
    """
    from .commands.issue import issue_pathway

    _run(
        lambda: issue_pathway(
            roster, pathway_id, endpoint, launch_url, out_dir, source, check_credential=not unchecked, insecure=insecure
        )
    )


# --- authoring: import, export, new (ccm_scorm/commands/import_bank.py, export.py, new.py) ---


@main.command(name="import")
@click.argument("kind", metavar="FORMAT", type=click.Choice(["gift", "aiken", "csv"]))
@click.argument("bank_file", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@source_argument
@click.option("--module", "-m", "module_id", required=True, help="The module whose quiz.yaml receives the questions.")
@click.option(
    "--competency",
    "-c",
    default=None,
    help="Competency every imported question evidences. Default: the module's primary competency.",
)
@click.option("--replace", is_flag=True, help="Replace the module's questions instead of adding to them.")
@click.option("--encoding", default=None, help="The file's encoding (e.g. cp1252). Default: worked out from the file.")
@click.option("--dry-run", is_flag=True, help="Check and list what would be imported; write nothing.")
@click.option("--strict", is_flag=True, help="Import nothing if any item of the file cannot be imported.")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
def import_command(
    kind: str,
    bank_file: Path,
    source: Path,
    module_id: str,
    competency: str | None,
    replace: bool,
    encoding: str | None,
    dry_run: bool,
    strict: bool,
    as_json: bool,
) -> None:
    """Import a GIFT, Aiken or CSV question bank FILE into a module of SOURCE (default: modules)."""
    from .commands.import_bank import import_bank

    _run(
        lambda: import_bank(kind, bank_file, source, module_id, competency, replace, encoding, dry_run, strict), as_json
    )


@main.command(name="export")
@click.argument("kind", metavar="FORMAT", type=click.Choice(["gift"]))
@source_argument
@click.option("--module", "-m", "module_id", required=True, help="The module whose questions to export.")
@click.option(
    "--out",
    "-o",
    "out_file",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write. Default: print the GIFT text.",
)
@click.option("--json", "as_json", is_flag=True, help="Print what was exported as JSON (needs --out).")
def export_command(kind: str, source: Path, module_id: str, out_file: Path | None, as_json: bool) -> None:
    """Export a module's questions as Moodle GIFT, for Moodle's question bank."""
    from .commands.export import export_questions

    if as_json and out_file is None:
        _run(_refused("--json needs --out FILE (the GIFT text would be mixed with the JSON)"))
    _run(lambda: export_questions(kind, source, module_id, out_file), as_json)


@main.group(name="new")
def new_group() -> None:
    """Start a new module or pathway, with placeholders to fill in."""


def _refused(message: str) -> Callable[[], Outcome]:
    """A command that is wrong use as given (exit 2)."""

    def refuse() -> Outcome:
        raise UsageProblem(message)

    return refuse


@new_group.command(name="course")
@click.argument("folder", default=DEFAULT_SOURCE, type=click.Path(path_type=Path))
@click.option("--title", default=None, help="The course's title. Default: My course.")
def new_course_command(folder: Path, title: str | None) -> None:
    """Start a course in FOLDER (default: modules): course.yaml, a framework, one module and a pathway."""
    from .commands.new import new_course

    _run(lambda: new_course(folder, title))


@new_group.command(name="module")
@source_argument
@click.option("--id", "unit_id", default=None, help="Module id. Default: made from the title.")
@click.option("--title", default=None, help="The module's title.")
@click.option(
    "--competency",
    "-c",
    "competencies",
    multiple=True,
    help="A framework competency id or its number in the list; repeat for several (the first is primary).",
)
@click.option("--yes", "-y", is_flag=True, help="Ask nothing: use the options (for scripts).")
def new_module_command(
    source: Path, unit_id: str | None, title: str | None, competencies: tuple[str, ...], yes: bool
) -> None:
    """Create a module folder in SOURCE: module.yaml, 3 pages and placeholder questions."""
    from .commands.new import new_module

    _run(lambda: new_module(source, unit_id, title, competencies, yes))


@new_group.command(name="pathway")
@source_argument
@click.option("--id", "unit_id", default=None, help="Pathway id. Default: made from the title.")
@click.option("--title", default=None, help="The pathway's title.")
@click.option(
    "--module",
    "-m",
    "module_ids",
    multiple=True,
    help="A module id or its number in the list; repeat in the order learners take them.",
)
@click.option("--yes", "-y", is_flag=True, help="Ask nothing: use the options (for scripts).")
def new_pathway_command(
    source: Path, unit_id: str | None, title: str | None, module_ids: tuple[str, ...], yes: bool
) -> None:
    """Create pathways/<id>.yaml in SOURCE listing modules in order."""
    from .commands.new import new_pathway

    _run(lambda: new_pathway(source, unit_id, title, module_ids, yes))


# ------------------------------------------------------------------ ccm report (docs/report.md)
def _lrs_seconds(_context, parameter, value):
    """A time limit for a server: a real number of seconds, more than none and at most a day."""
    import math

    if value is not None and not (math.isfinite(value) and 0 < value <= 86400):
        raise click.BadParameter(
            f"{value:g} is not a time limit: give seconds above 0 and at most 86400, e.g. 300", param=parameter
        )
    return value


@main.command(name="report")
@source_argument
@click.option(
    "--lrs",
    "lrs_url",
    metavar="URL",
    help="Read statements from this xAPI LRS endpoint. Credentials come "
    "from CCM_LRS_AUTH or CCM_LRS_USERNAME + CCM_LRS_PASSWORD (or a prompt), never from an option.",
)
@click.option("--since", metavar="TIME", help="Only LRS statements stored since this ISO 8601 time.")
@click.option(
    "--statements",
    "statement_files",
    multiple=True,
    type=click.Path(path_type=Path),
    help="A statements file (JSON array or JSON Lines); repeat for several.",
)
@click.option(
    "--moodle",
    "moodle_files",
    multiple=True,
    type=click.Path(path_type=Path),
    help="A Moodle SCORM report (basic, interactions, objectives; .txt, .ods, .xlsx) or gradebook export.",
)
@click.option(
    "--moodle-module",
    "moodle_modules",
    multiple=True,
    metavar="[TITLE=]MODULE_ID",
    help="Which module a Moodle activity is: MODULE_ID for all, or 'SCO title=MODULE_ID'. "
    "Default: match the SCO title to module titles.",
)
@click.option(
    "--moodle-site",
    metavar="URL",
    help="Read the results live from this Moodle site (with "
    "--moodle-course). The web-service token comes from CCM_MOODLE_TOKEN, never from an option.",
)
@click.option("--moodle-course", type=click.IntRange(1), metavar="ID", help="The Moodle course to read (its id).")
@click.option(
    "--strict",
    is_flag=True,
    help="Evidence that cannot be used (listed in the notes) is an error (exit 6), not a note.",
)
@click.option(
    "--match",
    default="email",
    show_default=True,
    type=click.Choice(["email", "id", "name"]),
    help="How learners from different sources are matched.",
)
@click.option(
    "--learner-map",
    type=click.Path(path_type=Path),
    help="CSV 'identifier,learner' mapping any identifier (email, LMS id, xAPI account name) to one learner key.",
)
@click.option(
    "--roster",
    type=click.Path(path_type=Path),
    help="CSV of who should take the training: name, email or id, optional issued/start date and pathway.",
)
@click.option(
    "--pathway",
    "pathways",
    multiple=True,
    metavar="ID",
    help="Show only this pathway's completion list (repeat for several); printed and in the outputs.",
)
@click.option(
    "--rule",
    default="any",
    show_default=True,
    type=click.Choice(["any", "all"]),
    help="When a competency counts as achieved (docs/report.md).",
)
@click.option(
    "--format",
    "-f",
    "formats",
    multiple=True,
    type=click.Choice(["csv", "json", "xlsx", "html"]),
    help="Output format; repeat for several. Default: all four.",
)
@click.option(
    "--out",
    "-o",
    "out_dir",
    default="report_out",
    show_default=True,
    type=click.Path(path_type=Path),
    help="Folder for the report files.",
)
@click.option("--timezone", default="Europe/London", show_default=True, help="The Moodle site's time zone.")
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Count days since issue up to this date (default: today).",
)
@click.option(
    "--lrs-timeout",
    default=300.0,
    show_default=True,
    type=float,
    callback=_lrs_seconds,
    help="Seconds the whole LRS read may take, all pages together.",
)
@click.option(
    "--lrs-page-size",
    default=500,
    show_default=True,
    type=click.IntRange(1, 10000),
    help="Statements asked for per LRS page.",
)
@click.option(
    "--insecure",
    is_flag=True,
    help="Allow a plain http:// LRS that is not on this computer (the credential crosses the network unencrypted).",
)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors and notes.")
def report_command(
    source: Path,
    lrs_url,
    since,
    statement_files,
    moodle_files,
    moodle_modules,
    match,
    learner_map,
    roster,
    pathways,
    rule,
    formats,
    out_dir,
    timezone,
    as_of,
    lrs_timeout,
    lrs_page_size,
    insecure,
    quiet,
    moodle_site=None,
    moodle_course=None,
    strict=False,
) -> None:
    """Map learner results (LRS, statement files, Moodle exports) to the competencies of the course in SOURCE."""
    from .commands.report import INTERRUPTED as REPORT_INTERRUPTED
    from .commands.report import make_report
    from .report import ReportOptions

    options = ReportOptions(
        statements=statement_files,
        moodle=moodle_files,
        moodle_modules=moodle_modules,
        lrs_url=lrs_url,
        lrs_timeout=lrs_timeout,
        lrs_page_size=lrs_page_size,
        since=since,
        lrs_insecure=insecure,
        match=match,
        learner_map=learner_map,
        roster=roster,
        rule=rule,
        timezone=timezone,
        as_of=as_of.date() if as_of else None,
        pathways=pathways,
        moodle_site=moodle_site,
        moodle_course=moodle_course,
        moodle_insecure=insecure,
        strict=strict,
    )
    _run(
        lambda: make_report(
            source, options, out_dir, formats, prompt=lambda text: click.prompt(text, hide_input=True), quiet=quiet
        ),
        interrupted=REPORT_INTERRUPTED,
    )


# ------------------------------------------------------------------ ccm framework (docs/framework-exports.md)
@main.group(name="framework")
def framework_group() -> None:
    """Export the competency framework, or list which package evidences which competency."""


@framework_group.command(name="export")
@source_argument
@click.option(
    "--format",
    "-f",
    "fmt",
    required=True,
    type=click.Choice(["moodle-csv", "case-json", "markdown"]),
    help="moodle-csv: Moodle's competency framework import; case-json: IMS CASE 1.0; markdown: a table.",
)
@click.option("--out", "-o", "out_file", type=click.Path(path_type=Path), help="Write here (default: standard output).")
@click.option("--changed", metavar="DATETIME", help="CASE lastChangeDateTime (default: now), for reproducible files.")
def framework_export_command(source: Path, fmt: str, out_file: Path | None, changed: str | None) -> None:
    """Export the framework of the course in SOURCE."""
    from .commands.framework import export_framework

    _run(lambda: export_framework(source, fmt, out_file, changed))


@framework_group.command(name="mapping")
@source_argument
@click.option("--target", "-t", "targets", multiple=True, help="Package format; repeat. Default: the course's targets.")
@click.option("--out", "-o", "out_file", type=click.Path(path_type=Path), help="Write here (default: standard output).")
def framework_mapping_command(source: Path, targets: tuple[str, ...], out_file: Path | None) -> None:
    """Which package evidences which competencies (CSV)."""
    from .commands.framework import mapping

    _run(lambda: mapping(source, targets, out_file))


# ------------------------------------------------------------------ ccm preview (docs/preview.md)
@main.command(name="preview")
@source_argument
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port on 127.0.0.1; the next free one is used if it is taken.",
)
@click.option(
    "--target",
    "-t",
    default=None,
    type=click.Choice(_registered(module_target_names)),
    help="Package format to preview (it can be changed in the page). Default: the course file's first.",
)
@click.option("--no-open", is_flag=True, help="Do not open the browser.")
def preview_command(source: Path, port: int, target: str | None, no_open: bool) -> None:
    """Show the course in SOURCE as learners will see it, rebuilt on every save, with what the LMS records."""
    from .commands.preview import preview

    _run(lambda: preview(source, port=port, target=target, open_browser=not no_open, say=click.echo))


if __name__ == "__main__":
    main()
