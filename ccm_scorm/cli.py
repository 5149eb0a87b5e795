"""The `ccm` command line: click commands only; the work is done elsewhere."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import click

from . import __version__
from .build import build, build_request, grouped_warnings, package_count, source_fingerprint, unchanged_build
from .source import SourceError, check_course, load_course
from .targets import BuildOptions, BuildRefused, TargetError, module_target_names, target_names, target_options

DEFAULT_SOURCE = "modules"
DEFAULT_OUT = "packages_out"

# Exit codes (docs/cli.md): 0 success, 1 problems in the course source,
# 2 wrong use of the command, 3 the build could not be written or was refused.
EXIT_SOURCE = 1
EXIT_USAGE = 2
EXIT_BUILD = 3
EXIT_INTERRUPTED = 130  # Ctrl-C: 128 + SIGINT, as shells report it

def _registered(read):
    """What the target registry says, or the plugin's problem as one line (never a traceback) and exit 3."""
    try:
        return read()
    except TargetError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_BUILD)


def _with_target_options(command):
    """One `ccm build` option for each option the registered targets declare (docs/targets.md)."""
    taken = {param.name for param in getattr(command, "__click_params__", [])}
    for name, (option, users) in reversed(list(_registered(target_options).items())):
        if name in taken:
            click.echo(f"error: the target {users[0]} declares {option.flag}, which ccm build already has; "
                       "that target must rename its option", err=True)
            sys.exit(EXIT_BUILD)
        kind = {Path: click.Path(exists=True, file_okay=False, path_type=Path), bool: None}.get(option.type, option.type)
        command = click.option(option.flag, name, type=kind, default=option.default, is_flag=option.type is bool,
                               metavar=option.metavar or None,
                               help=f"{option.help} Taken by: {', '.join(users)}.")(command)
    return command


def _count(number: int, singular: str, plural: str = "") -> str:
    return f"{number} {singular if number == 1 else (plural or singular + 's')}"


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
    from .content_facts import course_facts

    course, problems = check_course(source)
    facts = course_facts(course) if course else []
    if as_json:
        click.echo(json.dumps({
            "ok": not problems.errors,
            "errors": [p.as_dict() for p in problems.errors],
            "warnings": [p.as_dict() for p in problems.warnings],
            "modules": [fact.__dict__ for fact in facts],
        }, indent=2, ensure_ascii=False))
    else:
        for problem in problems.errors + problems.warnings:
            click.echo(str(problem), err=True)
        if course:
            click.echo(f"{_count(len(course.modules), 'module')}, {_count(sum(f.questions for f in facts), 'question')}, "
                       f"{_count(len(course.pathways), 'pathway')}, "
                       f"{_count(len(course.framework.competencies), 'competency', 'competencies')}: "
                       f"no errors, {_count(len(problems.warnings), 'warning')}")
            click.echo("module                         minutes  pages  questions  words  reading grade (FK)")
            for fact in facts:
                click.echo(f"{fact.id:<30} {fact.minutes:>7}  {fact.pages:>5}  {fact.questions:>9}  "
                           f"{fact.words:>5}  {fact.reading_grade:>18.1f}")
        else:
            click.echo(f"{_count(len(problems.errors), 'error')}, {_count(len(problems.warnings), 'warning')}", err=True)
    sys.exit(EXIT_SOURCE if problems.errors else 0)


@contextmanager
def _progress_bar(total: int, quiet: bool):
    """A progress bar on stderr while packages build, when stderr is a terminal (never in CI logs or --quiet)."""
    if quiet or total < 2 or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=total, label="building", file=sys.stderr, show_pos=True,
                           item_show_func=lambda item: item) as bar:
        yield lambda target, unit: bar.update(1, f"{unit} ({target})")


@main.command(name="build")
@source_argument
@click.option("--target", "-t", "targets", multiple=True, type=click.Choice(_registered(target_names)),
              help="Output format; repeat for several. Default: the course file's targets.")
@click.option("--out", "-o", "out_dir", default=DEFAULT_OUT, show_default=True, type=click.Path(path_type=Path),
              help="Folder for the packages and build-report.json.")
@click.option("--module", "-m", "module_ids", multiple=True, help="Build only this module; repeat for several.")
@click.option("--pathway", "-p", "pathway_ids", multiple=True,
              help="Build only this pathway (one package with all its modules); repeat for several. "
                   "Default, with no --module either: every pathway, for the targets that build pathways.")
@click.option("--lms", type=click.Choice(["moodle", "esr", "generic"]), default=None,
              help="LMS profile for its checks and settings. Default: the course file's, else moodle.")
@click.option("--lrs-auth", "lrs_credential", default=None, metavar="CREDENTIAL",
              help="Refused: LRS credentials never go into a package. Launchers pass them at launch time "
                   "(see docs/xapi-cmi5.md).")
@click.option("--force", is_flag=True, help="Rebuild every package even if its inputs have not changed.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@click.option("--json", "as_json", is_flag=True, help="Print the build report as JSON.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Packages to build at once. Default: the number of CPU cores.")
@_with_target_options
def build_command(source: Path, targets: tuple[str, ...], out_dir: Path, module_ids: tuple[str, ...],
                  lms: str | None, lrs_credential: str | None, force: bool, quiet: bool,
                  as_json: bool, jobs: int | None, pathway_ids: tuple[str, ...] = (), **target_values) -> None:
    """Build packages from the course in SOURCE (default: modules; with none here, the bundled CCM catalogue)."""
    source = _course_or_bundled(source, quiet or as_json)
    request = build_request(targets, lms, target_values, lrs_credential, module_ids, pathway_ids)
    fingerprint = source_fingerprint(source, request) if source.is_dir() else ""
    result = None if force or not fingerprint else unchanged_build(out_dir, fingerprint)
    if result:
        _report_build(result, out_dir, quiet, as_json)
        return
    course = _load_or_exit(source, "nothing was built")
    chosen = list(targets) or [t for t in course.settings.default_targets if t in _registered(target_names)]
    options = BuildOptions(lms=lms or course.settings.lms, lrs_credential=lrs_credential,
                           values={name: value for name, value in target_values.items() if value is not None})
    try:
        with _progress_bar(package_count(course, chosen, module_ids, pathway_ids), quiet or as_json) as progress:
            result = build(course, chosen, out_dir, options, module_ids=module_ids, force=force,
                           progress=progress, jobs=jobs, pathway_ids=pathway_ids, source_fingerprint=fingerprint)
        _report_build(result, out_dir, quiet, as_json)  # inside: a Ctrl-C while it prints is still exit 130
    except KeyError as error:
        click.echo(f"error: {error.args[0]}", err=True)
        sys.exit(EXIT_USAGE)
    except BuildRefused as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_BUILD)
    except OSError as error:
        click.echo(f"error: cannot write to {error.filename or out_dir}: {error.strerror} — "
                   "check the output folder exists and is writable; nothing half-written was left", err=True)
        sys.exit(EXIT_BUILD)
    except KeyboardInterrupt:
        click.echo("interrupted: the packages already written are whole, nothing half-written was left; "
                   "run the build again to finish", err=True)
        sys.exit(EXIT_INTERRUPTED)


def _report_build(result, out_dir: Path, quiet: bool, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps({"rebuilt": result.rebuilt, "unchanged": result.unchanged,
                               "warnings": result.warnings,
                               "report": str(result.report_path),
                               "packages": [asdict(record) for record in result.records]}, indent=2))
        return
    if quiet:
        return
    for warning in grouped_warnings(result.warnings):
        click.echo(f"warning: {warning}", err=True)
    if result.rebuilt:
        click.echo(f"built {len(result.rebuilt)} packages, {len(result.unchanged)} unchanged, "
                   f"in {out_dir} (report: {result.report_path})")
    else:
        click.echo(f"nothing changed: {len(result.unchanged)} packages in {out_dir} are up to date "
                   f"(report: {result.report_path})")


@main.command(name="issue")
@click.argument("roster", type=click.Path(path_type=Path))
@click.option("--pathway", "pathway_id", required=True, help="The pathway to issue, e.g. volunteer-induction.")
@click.option("--lrs", "endpoint", required=True, help="The LRS's xAPI endpoint, e.g. https://lrs.example.org/xAPI/.")
@click.option("--launch-url", required=True,
              help="Where the pathway's xAPI package is published: the address of its index.html.")
@click.option("--out", "-o", "out_dir", default="issued", show_default=True, type=click.Path(path_type=Path),
              help="Folder for handouts.html, roster-issued.csv and go/ (issuing again keeps who is there).")
@click.option("--source", default=DEFAULT_SOURCE, show_default=True, type=click.Path(path_type=Path),
              help="The course folder.")
@click.option("--unchecked", "--no-check-credential", "unchecked", is_flag=True,
              help="Make the links without the LRS showing that the credential can write and not read; "
                   "every handout then says so.")
@click.option("--insecure", is_flag=True, help="Allow a plain http:// LRS that is not on this computer.")
def issue_command(roster: Path, pathway_id: str, endpoint: str, launch_url: str, out_dir: Path, source: Path,
                  unchecked: bool, insecure: bool) -> None:
    """Give each volunteer in ROSTER (CSV) a personal launch link and a printable handout.

    The LRS credential put in the links is read from the environment variable
    CCM_LRS_WRITE_AUTH ('username:password') and must be write-only.
    """
    import os

    from .issuing import CREDENTIAL_VARIABLE, CredentialError, RosterError, issue

    course = _load_or_exit(source, "nothing was issued")
    try:
        result = issue(course, roster, pathway_id, endpoint, launch_url, os.environ.get(CREDENTIAL_VARIABLE),
                       out_dir, check_credential=not unchecked, insecure=insecure)
    except RosterError as error:
        for message in error.messages:
            click.echo(f"error: {message}", err=True)
        click.echo("nothing was written", err=True)
        sys.exit(EXIT_SOURCE)
    except (CredentialError, ValueError) as error:
        click.echo(f"error: {error}; nothing was written", err=True)
        sys.exit(EXIT_USAGE)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    kept = f" ({len(result.kept)} issued here before kept their links)" if result.kept else ""
    click.echo(f"issued {pathway_id} to {len(result.issued)} new volunteers{kept}: put {result.go_folder} beside "
               f"the package's index.html, then print {result.handouts}; the roster with links and registrations "
               f"is {result.roster}")


def _load_or_exit(source: Path, consequence: str):
    try:
        return load_course(source)
    except SourceError as error:
        for line in error.report(source, consequence):
            click.echo(line, err=True)
        sys.exit(EXIT_SOURCE)



# --- authoring: import, export, new (logic in ccm_scorm/importers and ccm_scorm/scaffold.py) ---

def _emit(outcome, as_json: bool) -> None:
    for line in outcome.err:
        click.echo(line, err=True)
    if as_json:
        click.echo(json.dumps(outcome.data, indent=2, ensure_ascii=False))
    else:
        if outcome.text is not None:
            click.echo(outcome.text, nl=False)
        for line in outcome.out:
            click.echo(line)
    sys.exit(outcome.exit_code)


@main.command(name="import")
@click.argument("kind", metavar="FORMAT", type=click.Choice(["gift", "aiken", "csv"]))
@click.argument("bank_file", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@source_argument
@click.option("--module", "-m", "module_id", required=True, help="The module whose quiz.yaml receives the questions.")
@click.option("--competency", "-c", default=None,
              help="Competency every imported question evidences. Default: the module's primary competency.")
@click.option("--replace", is_flag=True, help="Replace the module's questions instead of adding to them.")
@click.option("--encoding", default=None, help="The file's encoding (e.g. cp1252). Default: worked out from the file.")
@click.option("--dry-run", is_flag=True, help="Check and list what would be imported; write nothing.")
@click.option("--strict", is_flag=True, help="Import nothing if any item of the file cannot be imported.")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
def import_command(kind: str, bank_file: Path, source: Path, module_id: str, competency: str | None, replace: bool,
                   encoding: str | None, dry_run: bool, strict: bool, as_json: bool) -> None:
    """Import a GIFT, Aiken or CSV question bank FILE into a module of SOURCE (default: modules)."""
    from .importers.run import run_import

    _emit(run_import(kind, bank_file, source, module_id, competency, replace, encoding, dry_run, strict), as_json)


@main.command(name="export")
@click.argument("kind", metavar="FORMAT", type=click.Choice(["gift"]))
@source_argument
@click.option("--module", "-m", "module_id", required=True, help="The module whose questions to export.")
@click.option("--out", "-o", "out_file", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write. Default: print the GIFT text.")
@click.option("--json", "as_json", is_flag=True, help="Print what was exported as JSON (needs --out).")
def export_command(kind: str, source: Path, module_id: str, out_file: Path | None, as_json: bool) -> None:
    """Export a module's questions as Moodle GIFT, for Moodle's question bank."""
    from .importers.run import run_export

    if as_json and out_file is None:
        click.echo("error: --json needs --out FILE (the GIFT text would be mixed with the JSON)", err=True)
        sys.exit(EXIT_USAGE)
    _emit(run_export(kind, source, module_id, out_file), as_json)


@main.group(name="new")
def new_group() -> None:
    """Start a new module or pathway, with placeholders to fill in."""


def _created(run) -> None:
    from .scaffold import ScaffoldError

    try:
        created = run()
    except ScaffoldError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(error.exit_code)
    except click.Abort:
        click.echo("\nnothing was created", err=True)
        sys.exit(EXIT_BUILD)
    for problem in created.errors + created.warnings:
        click.echo(str(problem), err=True)
    click.echo(f"created {created.path}")
    for path in created.files:
        click.echo(f"  {path}")
    click.echo("Replace every TODO, then run 'ccm validate'.")
    sys.exit(EXIT_SOURCE if created.errors else 0)


def _course_or_bundled(source: Path, quiet: bool) -> Path:
    """With no course folder here, `ccm build` builds the CCM catalogue that comes with ccm-scorm, and says so."""
    from .scaffold import bundled_catalogue

    if source != Path(DEFAULT_SOURCE) or source.exists() or not bundled_catalogue().is_dir():
        return source
    if not quiet:
        click.echo(f"there is no course folder here ({DEFAULT_SOURCE}/): building the CCM catalogue that comes "
                   f"with ccm-scorm ({bundled_catalogue()}); 'ccm new course' starts your own", err=True)
    return bundled_catalogue()


@new_group.command(name="course")
@click.argument("folder", default=DEFAULT_SOURCE, type=click.Path(path_type=Path))
@click.option("--title", default=None, help="The course's title. Default: My course.")
def new_course_command(folder: Path, title: str | None) -> None:
    """Start a course in FOLDER (default: modules): course.yaml, a framework, one module and a pathway."""
    from .scaffold import new_course

    _created(lambda: new_course(folder, title))


@new_group.command(name="module")
@source_argument
@click.option("--id", "unit_id", default=None, help="Module id. Default: made from the title.")
@click.option("--title", default=None, help="The module's title.")
@click.option("--competency", "-c", "competencies", multiple=True,
              help="A framework competency id or its number in the list; repeat for several (the first is primary).")
@click.option("--yes", "-y", is_flag=True, help="Ask nothing: use the options (for scripts).")
def new_module_command(source: Path, unit_id: str | None, title: str | None, competencies: tuple[str, ...],
                       yes: bool) -> None:
    """Create a module folder in SOURCE: module.yaml, 3 pages and placeholder questions."""
    from .scaffold import new_module

    _created(lambda: new_module(source, unit_id, title, competencies, yes))


@new_group.command(name="pathway")
@source_argument
@click.option("--id", "unit_id", default=None, help="Pathway id. Default: made from the title.")
@click.option("--title", default=None, help="The pathway's title.")
@click.option("--module", "-m", "module_ids", multiple=True,
              help="A module id or its number in the list; repeat in the order learners take them.")
@click.option("--yes", "-y", is_flag=True, help="Ask nothing: use the options (for scripts).")
def new_pathway_command(source: Path, unit_id: str | None, title: str | None, module_ids: tuple[str, ...],
                        yes: bool) -> None:
    """Create pathways/<id>.yaml in SOURCE listing modules in order."""
    from .scaffold import new_pathway

    _created(lambda: new_pathway(source, unit_id, title, module_ids, yes))

# ------------------------------------------------------------------ ccm report (docs/report.md)
def _lrs_seconds(_context, parameter, value):
    """A time limit for a server: a real number of seconds, more than none and at most a day."""
    import math

    if value is not None and not (math.isfinite(value) and 0 < value <= 86400):
        raise click.BadParameter(f"{value:g} is not a time limit: give seconds above 0 and at most 86400, e.g. 300",
                                 param=parameter)
    return value


@main.command(name="report")
@source_argument
@click.option("--lrs", "lrs_url", metavar="URL", help="Read statements from this xAPI LRS endpoint. Credentials come "
              "from CCM_LRS_AUTH or CCM_LRS_USERNAME + CCM_LRS_PASSWORD (or a prompt), never from an option.")
@click.option("--since", metavar="TIME", help="Only LRS statements stored since this ISO 8601 time.")
@click.option("--statements", "statement_files", multiple=True, type=click.Path(path_type=Path),
              help="A statements file (JSON array or JSON Lines); repeat for several.")
@click.option("--moodle", "moodle_files", multiple=True, type=click.Path(path_type=Path),
              help="A Moodle SCORM report (basic, interactions, objectives; .txt, .ods, .xlsx) or gradebook export.")
@click.option("--moodle-module", "moodle_modules", multiple=True, metavar="[TITLE=]MODULE_ID",
              help="Which module a Moodle activity is: MODULE_ID for all, or 'SCO title=MODULE_ID'. "
                   "Default: match the SCO title to module titles.")
@click.option("--moodle-site", metavar="URL", help="Read the results live from this Moodle site (with "
              "--moodle-course). The web-service token comes from CCM_MOODLE_TOKEN, never from an option.")
@click.option("--moodle-course", type=click.IntRange(1), metavar="ID", help="The Moodle course to read (its id).")
@click.option("--strict", is_flag=True, help="Evidence that cannot be used (listed in the notes) is an error "
              "(exit 6), not a note.")
@click.option("--match", default="email", show_default=True, type=click.Choice(["email", "id", "name"]),
              help="How learners from different sources are matched.")
@click.option("--learner-map", type=click.Path(path_type=Path), help="CSV 'identifier,learner' mapping any "
              "identifier (email, LMS id, xAPI account name) to one learner key.")
@click.option("--roster", type=click.Path(path_type=Path), help="CSV of who should take the training: name, email "
              "or id, optional issued/start date and pathway.")
@click.option("--pathway", "pathways", multiple=True, metavar="ID",
              help="Show only this pathway's completion list (repeat for several); printed and in the outputs.")
@click.option("--rule", default="any", show_default=True, type=click.Choice(["any", "all"]),
              help="When a competency counts as achieved (docs/report.md).")
@click.option("--format", "-f", "formats", multiple=True, type=click.Choice(["csv", "json", "xlsx", "html"]),
              help="Output format; repeat for several. Default: all four.")
@click.option("--out", "-o", "out_dir", default="report_out", show_default=True, type=click.Path(path_type=Path),
              help="Folder for the report files.")
@click.option("--timezone", default="Europe/London", show_default=True, help="The Moodle site's time zone.")
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Count days since issue up to this date (default: today).")
@click.option("--lrs-timeout", default=300.0, show_default=True, type=float, callback=_lrs_seconds,
              help="Seconds the whole LRS read may take, all pages together.")
@click.option("--lrs-page-size", default=500, show_default=True, type=click.IntRange(1, 10000),
              help="Statements asked for per LRS page.")
@click.option("--insecure", is_flag=True, help="Allow a plain http:// LRS that is not on this computer "
              "(the credential crosses the network unencrypted).")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors and notes.")
def report_command(source: Path, lrs_url, since, statement_files, moodle_files, moodle_modules, match, learner_map,
                   roster, pathways, rule, formats, out_dir, timezone, as_of, lrs_timeout, lrs_page_size,
                   insecure, quiet, moodle_site=None, moodle_course=None, strict=False) -> None:
    """Map learner results (LRS, statement files, Moodle exports) to the competencies of the course in SOURCE."""
    from .report import ReportOptions
    from .report.command import run_report

    options = ReportOptions(statements=statement_files, moodle=moodle_files, moodle_modules=moodle_modules,
                            lrs_url=lrs_url, lrs_timeout=lrs_timeout, lrs_page_size=lrs_page_size, since=since,
                            lrs_insecure=insecure,
                            match=match, learner_map=learner_map, roster=roster, rule=rule, timezone=timezone,
                            as_of=as_of.date() if as_of else None, pathways=pathways,
                            moodle_site=moodle_site, moodle_course=moodle_course, moodle_insecure=insecure,
                            strict=strict)
    sys.exit(run_report(source, options, out_dir, formats, click.echo,
                        prompt=lambda text: click.prompt(text, hide_input=True), quiet=quiet))


# ------------------------------------------------------------------ ccm framework (docs/framework-exports.md)
@main.group(name="framework")
def framework_group() -> None:
    """Export the competency framework, or list which package evidences which competency."""


@framework_group.command(name="export")
@source_argument
@click.option("--format", "-f", "fmt", required=True, type=click.Choice(["moodle-csv", "case-json", "markdown"]),
              help="moodle-csv: Moodle's competency framework import; case-json: IMS CASE 1.0; markdown: a table.")
@click.option("--out", "-o", "out_file", type=click.Path(path_type=Path), help="Write here (default: standard output).")
@click.option("--changed", metavar="DATETIME", help="CASE lastChangeDateTime (default: now), for reproducible files.")
def framework_export_command(source: Path, fmt: str, out_file: Path | None, changed: str | None) -> None:
    """Export the framework of the course in SOURCE."""
    from .framework.command import run_export

    sys.exit(run_export(source, fmt, out_file, changed, click.echo))


@framework_group.command(name="mapping")
@source_argument
@click.option("--target", "-t", "targets", multiple=True, help="Package format; repeat. Default: the course's targets.")
@click.option("--out", "-o", "out_file", type=click.Path(path_type=Path), help="Write here (default: standard output).")
def framework_mapping_command(source: Path, targets: tuple[str, ...], out_file: Path | None) -> None:
    """Which package evidences which competencies (CSV)."""
    from .framework.command import run_mapping

    sys.exit(run_mapping(source, targets, out_file, click.echo))


# ------------------------------------------------------------------ ccm preview (docs/preview.md)
@main.command(name="preview")
@source_argument
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port on 127.0.0.1; the next free one is used if it is taken.")
@click.option("--target", "-t", default=None, type=click.Choice(_registered(module_target_names)),
              help="Package format to preview (it can be changed in the page). Default: the course file's first.")
@click.option("--no-open", is_flag=True, help="Do not open the browser.")
def preview_command(source: Path, port: int, target: str | None, no_open: bool) -> None:
    """Show the course in SOURCE as learners will see it, rebuilt on every save, with what the LMS records."""
    from .preview import run_preview

    sys.exit(run_preview(source, port=port, target=target, open_browser=not no_open, echo=click.echo))


if __name__ == "__main__":
    main()
