"""The `terang` console script: Django's manage.py under the project's name."""

import os
import sys


def main() -> None:
    if sys.argv[1:] == ["generate-keys"]:
        # Keys are generated before production settings can load (they refuse to without them).
        from terang.core.management.commands.generate_keys import env_lines

        sys.stdout.write(env_lines())
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terang.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
