"""Run one benchmark module on its own: `python -m bench.b5_pdf` against DATABASE_URL (migrated first)."""

import os
import sys


def main(run) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trafficking_cms.settings")
    os.environ.setdefault("TESTING", "1")
    import django

    django.setup()
    from django.core.management import call_command

    from bench.core import Context

    call_command("migrate", verbosity=0, interactive=False)
    smoke = "--smoke" in sys.argv
    results = run(Context(cases=1000, persons=0, smoke=smoke))
    for result in results:
        print(result.line(), flush=True)
    sys.exit(0 if all(result.ok for result in results) else 1)
