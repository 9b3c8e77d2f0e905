"""``python -m aical`` and the ``aical`` command's entry point.

Only the standard library is imported before the guard, so a Ctrl-C while the CLI is
still starting up (importing click and aical) ends as quietly as one later: exit 130, no
traceback. The CLI itself is :mod:`aical.cli`.
"""

import sys


def main() -> None:
    try:
        from aical.cli import main as run
    except KeyboardInterrupt:
        sys.exit(130)
    run()


if __name__ == "__main__":
    main()
