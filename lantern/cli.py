"""The `lantern` command: Django's management commands plus Lantern's own
(`lantern demo`, `lantern screen`, `lantern due`, `lantern audit verify`, ...)."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "lantern"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
