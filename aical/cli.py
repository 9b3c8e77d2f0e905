"""The ``aical`` command: thin click wrappers over the library.

Each command parses its options, calls the same Python API a user would call, and prints.
Errors aical raises on purpose (:class:`aical.errors.Error`) become one line on stderr and
exit status 1; usage errors are click's, exit status 2. Nothing ends in a traceback.
"""

from __future__ import annotations

import json
import sys

import click

from aical.errors import DateError, Error


class _Group(click.Group):
    """Turns aical's own errors into a one-line message and exit status 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except DateError as error:
            # `parse --json` prints its own JSON error; everything else gets one line.
            raise click.ClickException(error.message) from None
        except Error as error:
            raise click.ClickException(str(error)) from None


def _echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="aical")
def cli() -> None:
    """Turn Japanese public-sector reports (事業報告) into calendars.

    Reads era dates (令和/平成/昭和/大正/明治, 元年, kanji and full-width numerals, ranges,
    年度) and publishes .ics feeds per body, a printable fiscal-year calendar and open data.
    """


@cli.command()
@click.argument("text")
@click.option("--strict", is_flag=True,
              help="Reject dates after their era ended (平成32年) instead of reading them on.")
@click.option("--json", "as_json", is_flag=True,
              help='Print {"first_day", "last_day", "precision"} or {"error": {...}}.')
def parse(text: str, strict: bool, as_json: bool) -> None:
    """Read one date or range, e.g. '令和2年12月28日～1月8日'.

    Prints 2020-12-28 or 2020-12-28/2021-01-08 (first and last day, inclusive).
    """
    from aical.spans import parse_with_notes

    try:
        span, notes = parse_with_notes(text, strict=strict)
    except DateError as error:
        if as_json:
            _echo_json(error.to_json())
            sys.exit(1)
        raise
    if as_json:
        _echo_json(span.to_json())
    else:
        click.echo(str(span))
    for code, message in notes:
        click.echo(f"warning: {code}: {message}", err=True)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--strict", is_flag=True, help="Reject dates after their era ended.")
@click.option("--json", "as_json", is_flag=True,
              help="Print a JSON list of {line, column, text, first_day, last_day, precision}.")
def dates(file: str, strict: bool, as_json: bool) -> None:
    """List every date expression in a text or PDF file, with its line.

    Plain output: LINE<TAB>FIRST[/LAST]<TAB>PRECISION<TAB>TEXT as written.
    """
    from aical.finder import find_dates
    from aical.reading import read_text

    text = read_text(file)
    found = find_dates(text.text, strict=strict)
    if as_json:
        _echo_json([match.to_json() for match in found])
        return
    for match in found:
        click.echo(f"{match.line}\t{match.span}\t{match.span.precision}\t{match.text}")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="aical")


if __name__ == "__main__":
    main()
