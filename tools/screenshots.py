"""Arabic screenshots of each role's main pages for the README: docs/screenshots/main-<role>-<page>-ar.png.

Run against a server holding the demo (`make run`, or any `manage.py demo` database):

    .venv/bin/python tools/screenshots.py [--base http://127.0.0.1:8000] [--out docs/screenshots]

Each demo login signs in (password demo1234), the language cookie set to Arabic, and every page of
PAGES is captured full-page at 1280 px wide. A page the role cannot open is reported and skipped.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NamedTuple

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "demo1234"  # noqa: S105  # the demo logins' password (demo.members.PASSWORD)


class Shot(NamedTuple):
    role: str  # the demo login
    page: str  # short name in the file name
    path: str


PAGES = [
    Shot("reception", "home", "/"), Shot("reception", "members", "/members/"),
    Shot("reception", "member", "/members/1/"), Shot("reception", "counter", "/claims/counter/"),
    Shot("liquidateur", "claims", "/claims/"), Shot("liquidateur", "grievances", "/grievances/"),
    Shot("medecin", "review", "/claims/review/"), Shot("medecin", "approvals", "/claims/approvals/"),
    Shot("medecin", "controls", "/reports/controls/"),
    Shot("comptable", "payments", "/payments/"), Shot("comptable", "allowances", "/allowances/"),
    Shot("comptable", "contributions", "/contributions/payroll/"),
    Shot("coordinateur", "centres", "/care/"), Shot("therapeute", "home", "/"),
    Shot("direction", "dashboard", "/reports/dashboard/"), Shot("direction", "whatif", "/reports/whatif/"),
    Shot("admin", "admin", "/admin/"), Shot("auditeur", "audit", "/audit/"),
    Shot("adherent", "portal", "/portal/"),
]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default="docs/screenshots")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    failed = 0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for role in dict.fromkeys(shot.role for shot in PAGES):
            context = browser.new_context(locale="ar-MA", viewport={"width": 1280, "height": 800})
            context.add_cookies([{"name": "django_language", "value": "ar", "url": args.base}])
            page = context.new_page()
            page.goto(f"{args.base}/accounts/login/")
            page.fill("input[name=username]", role)
            page.fill("input[name=password]", PASSWORD)
            page.click("form button[type=submit]")
            page.wait_for_load_state()
            for shot in (s for s in PAGES if s.role == role):
                response = page.goto(args.base + shot.path)
                if response is None or response.status != 200:
                    print(f"{role} {shot.path}: status {response.status if response else '?'}", file=sys.stderr)
                    failed += 1
                    continue
                name = out / f"main-{shot.role}-{shot.page}-ar.png"
                # The audit trail is long: its first screen shows the page; the others are whole.
                page.screenshot(path=str(name), full_page=shot.page != "audit")
                print(name)
            context.close()
        browser.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
