"""`python manage.py api_token <username> [--name N] [--scope S] [--expires-in-days D] [--revoke PREFIX]`.

Issues an API token and prints it once (only its digest is stored), or revokes the
user's live token whose first characters are PREFIX. Without arguments beyond the username
nothing else is printed but the token, so `TOKEN=$(manage.py api_token clinique)` works.
The scope is `provider` unless said (`staff_read`, `staff_write`); without --expires-in-days the
token lives until it is revoked.

A token may start with "-" (its alphabet is URL-safe base64): `--revoke -pwLHw` and
`--revoke=-pwLHw` both revoke it, where argparse alone would read `-pwLHw` as an option.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import ApiTokenScope, User
from accounts.tokens import ApiTokenError, api_token_create, api_token_revoke


def glue_revoke(args: Sequence[str] | None) -> list[str] | None:
    """`--revoke X` as `--revoke=X`: the word after --revoke is its value, even when it starts with "-"."""
    if args is None:
        return None
    out: list[str] = []
    words = iter(args)
    for word in words:
        value = next(words, None) if word == "--revoke" else None
        out.append(word if value is None else f"--revoke={value}")
    return out


class _Parser(CommandParser):
    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        return super().parse_known_args(glue_revoke(args), namespace)


class Command(BaseCommand):
    help = "Issue an API token (printed once) to a provider or staff user, or revoke one by its prefix."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = _Parser  # same parser, its arguments glued first (BaseCommand has no hook for the class)
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="a label for people, e.g. 'billing software'")
        parser.add_argument("--revoke", metavar="PREFIX", help="revoke the live token starting with PREFIX")
        parser.add_argument(
            "--scope", choices=ApiTokenScope.values, default=ApiTokenScope.PROVIDER.value, help="default: provider"
        )
        parser.add_argument("--expires-in-days", type=int, metavar="N", help="refused after N days (default: never)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user named {options['username']!r}")
        prefix = options["revoke"]
        try:
            if prefix is not None:
                self._revoke(user, prefix.strip())
                return
            token, plaintext = api_token_create(
                actor=None,
                user=user,
                name=options["name"],
                scope=options["scope"],
                expires_in_days=options["expires_in_days"],
            )
        except ApiTokenError as exc:
            raise CommandError(str(exc.message)) from None
        until = f", expires {token.expires_at:%Y-%m-%d %H:%M} UTC" if token.expires_at else ""
        self.stderr.write(f"API token {token.prefix}… ({token.scope}{until}) for {user.username}; shown only now:")
        self.stdout.write(plaintext)

    def _revoke(self, user: User, prefix: str) -> None:
        if not prefix:
            raise CommandError("give the first characters of the token to revoke")
        # Compared here, not with a LIKE: SQLite's is case-insensitive and tokens are not.
        live = [t for t in user.api_tokens.filter(revoked_at__isnull=True) if t.prefix.startswith(prefix[:8])]
        if len(live) != 1:
            raise CommandError(f"{len(live)} live tokens of {user.username} start with {prefix!r}; need exactly one")
        token = api_token_revoke(actor=None, token=live[0])
        self.stdout.write(f"revoked {token.prefix}… of {user.username}")
