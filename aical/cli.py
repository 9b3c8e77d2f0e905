"""The ``aical`` command: thin click wrappers over the library.

Each command parses its options, calls the same Python API a user would call, and prints.
Errors aical raises on purpose (:class:`aical.errors.Error`) become one line on stderr and
exit status 1; usage errors are click's, exit status 2. Nothing ends in a traceback.

Every message is printed in the language :func:`aical.messages.language` picks (``--lang``,
else the locale); this is the edge where warnings and errors are rendered.
"""

from __future__ import annotations

import contextlib

import json
import os
import sys

import click

from aical.errors import DateError, Error, InputError
from aical.messages import language, msg, render, translate_click

_LANG_KEY = "aical.lang"


def _lang() -> str:
    """The language of this run's messages: --lang if given, else the locale."""
    ctx = click.get_current_context(silent=True)
    chosen = ctx.find_root().meta.get(_LANG_KEY) if ctx is not None else None
    return chosen or language()


def _say(text, *, err: bool = False) -> None:
    """Print a message (an :class:`aical.messages.Message` or plain text) in the run's
    language."""
    click.echo(render(text, _lang()), err=err)


def _lang_in(args) -> str | None:
    """--lang's value, looked for before click parses (a usage error needs it too)."""
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


class _Group(click.Group):
    """Turns aical's own errors into a one-line message and exit status 1, and prints
    click's usage errors in the chosen language."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except Error as error:  # DateError included (`parse --json` prints its own)
            raise click.ClickException(error.in_language(_lang())) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:  # Ctrl-C: quiet, exit status 130 as shells expect
            raise click.exceptions.Exit(130) from None
        except BrokenPipeError:  # `aical dates FILE | head`: the reader has what it wanted
            _quiet_stdout()
            raise click.exceptions.Exit(141) from None  # 128 + SIGPIPE, as a shell reports
        except OSError as error:  # a full disk, permission denied …: the path, what to do
            raise click.ClickException(InputError.from_os(error).in_language(_lang())) from None
        except Exception as error:  # a bug: say so in one line; the traceback on request
            if os.environ.get("AICAL_DEBUG"):
                raise
            raise click.ClickException(render(
                msg("cli.internal_error", kind=type(error).__name__, error=str(error)),
                _lang())) from None

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True,
             **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        args = list(sys.argv[1:] if args is None else args)
        lang = language(_lang_in(args))
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as error:
            _show_usage_error(error, lang)
            sys.exit(error.exit_code)
        except click.ClickException as error:  # already in the chosen language
            click.echo(render(msg("cli.error", message=error.format_message()), lang),
                       err=True)
            sys.exit(error.exit_code)
        except click.Abort as error:
            if isinstance(error.__cause__, KeyboardInterrupt):
                sys.exit(130)  # Ctrl-C while click parses: as quiet as one later
            click.echo(render(msg("click.aborted"), lang), err=True)
            sys.exit(1)
        except KeyboardInterrupt:  # Ctrl-C: quiet, exit status 130 as shells expect
            sys.exit(130)
        except BrokenPipeError:  # the pipe closed outside a command (its final output)
            _quiet_stdout()
            sys.exit(141)
        sys.exit(code if isinstance(code, int) else 0)


def _show_usage_error(error: click.UsageError, lang: str) -> None:
    """click's UsageError.show, with each of its lines in ``lang``."""
    ctx = error.ctx
    if ctx is not None:
        usage = ctx.get_usage()
        if lang != "en" and usage.startswith("Usage: "):
            usage = render(msg("click.usage", rest=usage[len("Usage: "):]), lang)
        click.echo(usage, err=True)
        if ctx.command.get_help_option(ctx) is not None:
            option = max(ctx.command.get_help_option_names(ctx), key=len)
            click.echo(render(msg("click.try_help", command=f"{ctx.command_path} {option}"),
                              lang) + "\n", err=True)
    text = translate_click(error.format_message(), lang)
    click.echo(render(msg("cli.error", message=text), lang), err=True)


def _set_lang(ctx: click.Context, param, value):
    if value:
        ctx.find_root().meta[_LANG_KEY] = language(value)
    return value


LANG = click.option("--lang", type=click.Choice(["ja", "en"]), default=None,
                    expose_value=False, is_eager=True, callback=_set_lang,
                    help="Language of messages (default: from LANG / LC_ALL / LC_MESSAGES).")


class FiscalYearType(click.ParamType):
    """--year: R2, r2, 令和2, 令和2年度, 2020, FY2020, H31 …"""

    name = "year"

    def convert(self, value, param, ctx):
        from aical.dates.era import FiscalYear

        if not isinstance(value, str):
            return value
        try:
            return FiscalYear.parse(value)
        except DateError as error:
            self.fail(error.message, param, ctx)


YEAR = click.option("--year", "year", type=FiscalYearType(), default=None,
                    help="Fiscal year (年度): R2, 令和2, 令和2年度, 2020, FY2020, H31 …")
STRICT = click.option("--strict", is_flag=True,
                      help="Treat every warning as a failure (exit status 1).")


OCR = click.option("--ocr", is_flag=True,
                   help="Read PDF pages that have no text layer (scans) by OCR; needs "
                        "tesseract with Japanese data. A PDF with no text at all is read by "
                        "OCR without it.")


CONFIG = click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
                      help="Settings file; default: aical.toml beside the inputs, else in "
                           "the current folder.")

VERBOSE = click.option("-v", "--verbose", is_flag=True,
                       help="Say how each file was read (encoding or PDF) and what it holds.")


def _echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="aical")
@LANG
def cli() -> None:
    """Turn Japanese public-sector reports (事業報告) into calendars.

    Reads era dates (令和/平成/昭和/大正/明治, 元年, kanji and full-width numerals, ranges,
    年度) and publishes .ics feeds per body, a printable fiscal-year calendar and open data.
    """


@cli.command(short_help="Read one date or range (era-aware).")
@click.argument("text")
@click.option("--strict", is_flag=True,
              help="Reject dates after their era ended (平成32年) instead of reading them on.")
@click.option("--json", "as_json", is_flag=True,
              help='Print {"first_day", "last_day", "precision"} or {"error": {...}}.')
@LANG
@click.option("--year", "year", type=FiscalYearType(), default=None,
              help="Fiscal year of a list of months or a recurring rule that names none "
                   "(R2, 令和2年度, 2020).")
def parse(text: str, strict: bool, as_json: bool, year) -> None:
    """Read one date or range, e.g. '令和2年12月28日～1月8日'.

    Prints 2020-12-28 or 2020-12-28/2021-01-08 (first and last day, inclusive).
    Approximate dates (8月上旬, 秋頃, 第1四半期, 2023.03.xx) print their days, a tab and
    their precision; a list of months (令和2年5月、9月、1月) or a recurring rule (令和2年度偶数月中旬,
    毎月第2火曜日 --year R2) prints one line per occurrence, and in JSON an
    "occurrences" list.
    """
    from aical.dates.spans import parse_all

    try:
        spans, notes = parse_all(text, fiscal_year=year, strict=strict)
    except DateError as error:
        if as_json:
            _echo_json(error.to_json())
            sys.exit(1)
        raise
    approximate = any(code == "approximate" for code, _ in notes)
    if as_json:
        data = {"first_day": spans[0].first_day.isoformat(),
                "last_day": spans[-1].last_day.isoformat(),
                "precision": spans[0].precision}
        if approximate:
            data["approximate"] = True
        if len(spans) > 1:
            data["occurrences"] = [span.to_json() for span in spans]
        _echo_json(data)
    else:
        for span in spans:
            shown = str(span)
            if approximate:  # say so: these days are a reading of 上旬, 頃, 秋 …
                shown += f"\t{span.precision}, approximate"
            click.echo(shown)
    for code, message in notes:
        if code != "approximate":
            _say(msg("cli.warning", code=code, message=message), err=True)


@cli.command(short_help="List every date expression in a file, with its line.")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--strict", is_flag=True, help="Reject dates after their era ended.")
@click.option("--json", "as_json", is_flag=True,
              help="Print a JSON list of {line, column, text, first_day, last_day, "
                   "precision, notes}.")
@VERBOSE
@LANG
def dates(file: str, strict: bool, as_json: bool, verbose: bool) -> None:
    """List every date expression in a text or PDF file, with its line.

    Plain output: LINE<TAB>FIRST[/LAST]<TAB>PRECISION<TAB>TEXT as written.
    """
    from aical.dates.finder import find_dates
    from aical.read import read_text

    text = read_text(file)
    found = find_dates(text.text, strict=strict)
    if verbose:
        _say(msg("cli.read_as", file=file, encoding=text.encoding, count=len(found)), err=True)
    if as_json:
        _echo_json([match.to_json() for match in found])
        return
    for match in found:
        click.echo(f"{match.line}\t{match.span}\t{match.span.precision}\t{match.text}")


RECURSIVE = click.option("-r", "--recursive", is_flag=True,
                         help="Also read the subfolders of a folder given as input.")


def _find(given, recursive: bool):
    """The input files (folders expanded), with the one line on what a folder scan skipped."""
    from aical.read.inputs import find_inputs, skipped_line

    found = find_inputs(list(given), recursive=recursive)
    if found.skipped:
        click.echo(skipped_line(found.skipped, _lang()), err=True)
    return found.files


def _read_reports(files, year, verbose=False, ocr=False):
    """Read and extract input files, with a progress bar on a terminal when there are many."""
    from aical.reports import read_inputs

    if len(files) > 3 and sys.stderr.isatty():
        with click.progressbar(length=len(files), label=render(msg("cli.reading"), _lang()),
                               file=sys.stderr) as bar:
            def step(items):
                for item in items:
                    yield item
                    bar.update(1)
            inputs = read_inputs(files, fiscal_year=year, progress=step, ocr=ocr)
    else:
        inputs = read_inputs(files, fiscal_year=year, ocr=ocr)
    if verbose:
        _describe(inputs)
    return inputs


def _describe(inputs) -> None:
    """One line per input for --verbose: how it was read and what was found."""
    for item in inputs:
        year = item.report.fiscal_year.label if item.report.fiscal_year \
            else msg("cli.no_fiscal_year")
        how = item.encoding if item.kind in ("text", "pdf") or not item.encoding else \
            f"{item.kind} ({item.encoding})"
        _say(msg("cli.describe", file=item.name, encoding=how, year=year,
                 bodies=len(item.report.bodies), events=len(item.report.events),
                 warnings=len(item.report.warnings)), err=True)


def _echo_warnings(warnings, *, err: bool = True) -> None:
    lang = _lang()
    lines = [warning.in_language(lang) for warning in warnings]
    # a thousand a write: a big report's tens of thousands of warnings took 0.5 s one by one
    for start in range(0, len(lines), 1000):
        click.echo("\n".join(lines[start:start + 1000]), err=err)


def _settings(inputs, given):
    """The settings in force for ``inputs`` (see :mod:`aical.config`)."""
    from aical.config import find_config, load_config

    return load_config(find_config(inputs, given))


def _settings_warnings(config, inputs):
    """The settings file's own warnings, and a warning for each configured body that no
    input has."""
    from aical.config import check_bodies

    found = {b.path for i in inputs for b in i.report.bodies}
    found |= {e.body for i in inputs for e in i.report.events}
    return [*config.warnings, *check_bodies(config, sorted(found))]


def _fail_if_strict(strict: bool, warnings) -> None:
    if strict and warnings:
        raise click.ClickException(render(msg("cli.strict_failed", count=len(warnings)),
                                          _lang()))


@cli.command(short_help="Print the events of reports as JSON or CSV.")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@YEAR
@STRICT
@click.option("--json", "as_format", flag_value="json", default=True,
              help='Print {"events": [...], "warnings": [...]} (the default).')
@click.option("--csv", "as_format", flag_value="csv",
              help="Print the イベント一覧 open-data CSV instead.")
@RECURSIVE
@OCR
@CONFIG
@VERBOSE
@LANG
def extract(files, year, strict, as_format, recursive, ocr, verbose, config_path) -> None:
    """Read reports and print their events: body, days, mode, venue, agenda, source.

    Warnings go to stderr as FILE:LINE: CODE: MESSAGE.
    """
    from aical.publish import opendata
    from aical.publish.naming import short_name
    from aical.config import accepted
    from aical.reports import select_year

    config = _settings(files, config_path)
    inputs = select_year(_read_reports(_find(files, recursive), year, verbose, ocr), year)
    events = [e for i in inputs for e in i.report.events]
    warnings = [w for i in inputs for w in i.report.warnings]
    shown, _ = accepted(config, [*_settings_warnings(config, inputs), *warnings])
    if as_format == "csv":
        data = opendata.events_csv(events, names={e.body: short_name(e.body) for e in events})
        click.echo(data.decode("utf-8-sig"), nl=False)
    else:
        click.echo(opendata.events_json(events, warnings).decode("utf-8"), nl=False)
    _echo_warnings(shown)
    _fail_if_strict(strict, shown)


@cli.command(short_help="Print the warnings of reports, compiler style.")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@YEAR
@RECURSIVE
@OCR
@CONFIG
@VERBOSE
@LANG
def lint(files, year, recursive, ocr, verbose, config_path) -> None:
    """Check reports and print each warning as FILE:LINE: CODE: MESSAGE.

    Exit status 1 when there is any warning, so it can gate a publishing step. Warnings
    accepted in aical.toml ([[accept]]) are counted, not printed, and do not fail.
    """
    from aical.config import accepted

    config = _settings(files, config_path)
    inputs = _read_reports(_find(files, recursive), year, verbose, ocr)
    warnings = [*_settings_warnings(config, inputs),
                *(w for i in inputs for w in i.report.warnings)]
    warnings, count = accepted(config, warnings)
    _echo_warnings(warnings, err=False)
    events = sum(len(i.report.events) for i in inputs)
    if count:
        _say(msg("cli.lint_accepted", files=len(inputs), events=events,
                 warnings=len(warnings), accepted=count, config=config.path), err=True)
    else:
        _say(msg("cli.lint_summary", files=len(inputs), events=events,
                 warnings=len(warnings)), err=True)
    if warnings:
        sys.exit(1)


@cli.command(short_help="Build the publishable folder: feeds, pages, open data.")
@click.argument("inputs", nargs=-1, type=click.Path())
@YEAR
@click.option("--out", "out", default="build", show_default=True, type=click.Path(),
              help="The folder to write; replaced atomically.")
@STRICT
@click.option("--base-url", default=None,
              help="Where the folder will be published: an absolute https:// address "
              "(http:// with a warning), for subscribe links, QR codes and feed URLs.")
@click.option("--week-start", type=click.Choice(["sunday", "monday"]), default="sunday",
              show_default=True, help="First day of the week on the printed calendar.")
@click.option("--force", is_flag=True,
              help="Publish even when the build drops more than half of the published "
                   "events or bodies (a build with no meetings is never published).")
@RECURSIVE
@OCR
@CONFIG
@VERBOSE
@LANG
def build(inputs, year, out, strict, base_url, week_start, force, recursive, ocr, verbose,
          config_path) -> None:
    """Build a publishable folder from reports: feeds, pages, open data, manifest.

    INPUTS are report files (text, Markdown, PDF, HTML, Word, Excel) or folders of them;
    default: the current folder. Settings come from --config, else aical.toml beside the
    inputs, else in the current folder (see `aical config`). Without --year every fiscal
    year found is built, each with its page.
    """
    import dataclasses

    from aical.config import accepted, check_base_url
    from aical.publish import state
    from aical.publish.site import (build_time, check_out, publishing_guard, render_site,
                                    write_site)
    from aical.reports import select_year

    given = list(inputs or ["."])
    files = _find(given, recursive)
    inputs_read = [*given, *(f.path for f in files)]
    check_out(out, inputs_read)  # before the work: a folder it may not replace
    config = _settings(given, config_path)
    if base_url is not None:
        try:
            checked = check_base_url(base_url)[0]
        except ValueError as error:
            raise click.BadParameter(render(error.args[0], _lang()),
                                     param_hint="'--base-url'") from None
        config = dataclasses.replace(config, base_url=checked,
                                     sources={**config.sources, "base_url": "--base-url"})
    with _without_gc():
        read = _read_reports(files, year, verbose, ocr)
        chosen = select_year(read, year)
        # the calendar's memory: what this folder published before, so unchanged events
        # keep their SEQUENCE and time stamps and vanished ones are published as cancelled
        site = render_site(chosen, config=config, stamp=build_time(), memory=state.load(out),
                           week_start=0 if week_start == "monday" else 6)
        shown, _ = accepted(config, [*_settings_warnings(config, chosen), *site.warnings])
        _echo_warnings(shown)
        _fail_if_strict(strict, shown)
        try:
            write_site(site.files, out, inputs=inputs_read,
                       guard=publishing_guard(site, force=force))
        except OSError as error:
            if isinstance(error, BrokenPipeError):
                raise
            raise InputError.from_os(error, out) from None
    # said once the build stands, so that a failure is still the one line it was
    _, http_warning = check_base_url(config.base_url)
    if http_warning:
        _say(msg("cli.warning", code="http_base_url", message=http_warning), err=True)
    if not config.base_url:
        _say(msg("cli.warning", code="no_base_url", message=msg("publish.no_base_url")),
             err=True)
    years = "、".join(y.label for y in site.fiscal_years) or msg("cli.no_fiscal_year")
    _say(msg("cli.built", out=out, years=years, bodies=len(site.bodies),
             events=len(site.events), warnings=len(shown)))
    if "index.html" in site.files:
        _say(msg("cli.built_page", out=out))
    _say(msg("cli.built_feeds", out=out))
    _say(msg("cli.built_data", out=out))
    if site.new or site.changed or site.removed:
        _say(msg("cli.built_changes", new=len(site.new), changed=len(site.changed),
                 removed=len(site.removed)))
    for event in site.removed:
        _say(msg("cli.built_removed", summary=event.summary, span=str(event.span),
                 body=" / ".join(event.body)))


@cli.command("config", short_help="Show the settings in force and where each came from.")
@click.argument("inputs", nargs=-1, type=click.Path())
@CONFIG
@LANG
def config_command(inputs, config_path) -> None:
    """Show the settings in force for INPUTS (default: the current folder), one per line,
    each with where it came from: the settings file and line, or 'default'.

    The settings file is --config, else aical.toml beside the inputs, else in the current
    folder. Its warnings (unknown keys) are printed on stderr.
    """
    from aical.config import describe

    config = _settings(inputs or ["."], config_path)
    _say(msg("cli.config_file", path=config.path) if config.path else msg("cli.config_none"))
    for line in describe(config):
        click.echo(line)
    _echo_warnings(config.warnings)


@cli.command(short_help="Serve a build folder as a feed host would.")
@click.argument("folder", default="build", type=click.Path(file_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; loopback unless you mean to publish.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0 picks a free one).")
@LANG
def serve(folder, host, port) -> None:
    """Serve a built folder read-only, as a feed host would, until Ctrl-C.

    .ics as text/calendar, ETag and Last-Modified with 304 on revalidation, nothing
    outside FOLDER. One log line per request on stderr.
    """
    from aical.serve import serve as run

    run(folder, host, port, log=lambda line: click.echo(line, err=True))


@contextlib.contextmanager
def _without_gc():
    """The cyclic garbage collector paused for a build: a big report's hundreds of
    thousands of events are long-lived, and the collector rescanning them cost 15 % of the
    build (measured on a 4.5 MB report, with the same peak memory: the build makes few
    cycles). Resumed afterwards, whatever happens, so a caller's process is unchanged."""
    import gc

    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def main() -> None:
    """Console-script entry point (through :mod:`aical.__main__`, which guards start-up)."""
    cli(prog_name="aical")


def _quiet_stdout() -> None:
    """Python's advice for a closed pipe: point stdout at devnull, so that the flush at
    exit cannot fail a second time and print "Exception ignored"."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (a test runner's)
        pass


if __name__ == "__main__":
    main()
