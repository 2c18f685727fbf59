import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from commitments import demo


class Command(BaseCommand):
    help = (
        "Create the demo department (HCMC DARD: units, 2020-2021 figures, evidence, and the "
        "current year in progress) and the users demo-admin, demo-director and demo-staff, "
        "and a second department (HCMC DONRE, its sheet loaded from a file) with its "
        "director demo-director-2, and demo-city of the city's coordinating office (the city "
        "view); password 'demo'. DEBUG only."
    )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            # The demo users have a known password: never on a production database.
            raise CommandError(
                "load_demo refuses to run when DEBUG is off: it creates users whose "
                "password is 'demo'. Run it on a development machine with DEBUG=1."
            )
        counts = demo.demo_load()
        summary = ", ".join(f"{n} {what}" for what, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo departments loaded: {summary}"))
        self.stdout.write("Logins (username / password):")
        for username, role in demo.USERS:
            self.stdout.write(f"  {username} / {demo.PASSWORD}  ({role})")
        # `make run PORT=…` passes its port on; 8000 is runserver's own default.
        self.stdout.write(f"Open http://127.0.0.1:{os.environ.get('PORT', '8000')}/")
