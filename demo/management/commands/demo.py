"""`python manage.py demo [--members N] [--seed S]`: a synthetic mutual, its claim files and one login per role."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.allowances import demo_allowances_ensure
from demo.care import demo_care_ensure
from demo.care_week import demo_care_week_ensure
from demo.claims import demo_claims_create
from demo.contributions import demo_contributions_ensure
from demo.controls import demo_controls_ensure
from demo.grievances import demo_grievances_ensure
from demo.medical import demo_ald_ensure
from demo.members import demo_api_token_rotate, demo_members_create, demo_users_ensure, providers_ensure
from demo.reports import demo_reports_ensure
from demo.rights import demo_rights_ensure
from demo.solidarity import demo_solidarity_ensure


class Command(BaseCommand):
    help = "Create demo data (idempotent and deterministic) and print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--members", type=int, default=None, help="number of members (default 500; national 1,000,000)"
        )
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument(
            "--scale",
            choices=["demo", "national"],
            default="demo",
            help="national: 1,000,000 members (or --members N) loaded with COPY, PostgreSQL only",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scale"] == "national":
            self._national(options)
            return
        options["members"] = options["members"] or 500
        providers = providers_ensure(seed=options["seed"])
        created = demo_members_create(count=options["members"], seed=options["seed"])
        logins = demo_users_ensure()
        claims = demo_claims_create(count=options["members"], seed=options["seed"])
        demo_ald_ensure(seed=options["seed"])
        demo_care_ensure(seed=options["seed"])
        demo_care_week_ensure(seed=options["seed"])
        demo_contributions_ensure(seed=options["seed"])
        demo_allowances_ensure(seed=options["seed"])  # after the contributions: arrears are deducted
        demo_solidarity_ensure()  # after the allowances: their advance tied to its care's claim file
        demo_rights_ensure()  # after the contributions: notices, suspensions, a restoration
        demo_grievances_ensure()  # after the claims: complaints, an appeal upheld (login liquidateur2: the committee)
        demo_controls_ensure()  # after the claims: one example of each control signal for medecin
        demo_reports_ensure()  # last: the dashboard's summary tables read everything above
        self.stdout.write(f"Demo data: {created} members, {providers} providers and {claims} claim files created.")
        width = max(len(r[0]) for r in logins)
        self.stdout.write(f"{'role'.ljust(width)}  {'username'.ljust(12)}  password")
        for role, username, password in logins:
            self.stdout.write(f"{role.ljust(width)}  {username.ljust(12)}  {password}")
        issued = demo_api_token_rotate()
        if issued is not None:
            user, token = issued
            self.stdout.write(
                f"Provider API token of {user.username} ({user.provider}), new on each run (the previous one is "
                f"revoked):\n{token}"
            )

    def _national(self, options: dict[str, Any]) -> None:
        from django.db import connection

        from demo.national import database_mb, national_load

        if connection.vendor != "postgresql":
            raise CommandError("--scale national needs PostgreSQL: set DATABASE_URL=postgres://...")
        members = options["members"] or 1_000_000
        load = national_load(members=members, seed=options["seed"], progress=self.stdout.write)
        logins = demo_users_ensure()
        self.stdout.write(
            f"National demo: {load.members} members, {load.beneficiaries} beneficiaries, {load.files} claim files, "
            f"{load.lines} lines, {load.payments} payments in {load.seconds:.1f} s; database {database_mb()} MB; "
            f"{len(logins)} logins."
        )
