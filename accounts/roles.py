"""The roles of DESIGN.md and the permissions each one holds, defined in code.

`roles_sync` (accounts.services) makes the database groups match this table after every
`migrate`; nothing here is clicked together in the admin.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    RECEPTION = "reception", _("Reception agent")
    CLAIMS_OFFICER = "claims_officer", _("Claims officer")
    MEDICAL_CONTROLLER = "medical_controller", _("Medical controller")
    ACCOUNTANT = "accountant", _("Accountant")
    CENTRE_COORDINATOR = "centre_coordinator", _("Centre coordinator")
    THERAPIST = "therapist", _("Therapist")
    MANAGER = "manager", _("Manager")
    PROVIDER = "provider", _("Provider")
    ADMINISTRATOR = "administrator", _("Administrator")
    AUDITOR = "auditor", _("Auditor")


_MEMBER_READ = ["members.view_member", "members.view_beneficiary", "members.view_administration"]
_MEMBER_WRITE = [
    "members.add_member",
    "members.change_member",
    "members.add_beneficiary",
    "members.change_beneficiary",
    "members.import_roster",
]
# Policy what-ifs (reports.whatif*): the board's managers and the administrator run and read them.
_WHATIF = ["reports.run_whatif", "reports.view_whatifrun"]
_REFERENTIALS = ["referentials.view_referentials", "referentials.change_referentials"]

# Contributions: accountants manage payroll files and receipts, reception takes counter payments,
# auditors read; the schedules are referentials (administrators change them).
_CONTRIBUTIONS_READ = [
    "contributions.view_ledgerentry",
    "contributions.view_payrollfile",
    "contributions.view_receipt",
    "referentials.view_referentials",
]
_CONTRIBUTIONS_COUNTER = [
    "contributions.view_ledgerentry",
    "contributions.view_receipt",
    "contributions.record_counter_receipt",
]
# Arrears and rights (rights): accountants run the review (notices, suspensions, restorations).
_RIGHTS_REVIEW = ["contributions.view_arrearsnotice", "contributions.review_arrears"]

# The centres' week (care-week): plans, timetables, attendance, billing, reports; therapists' attendance and notes.
_CARE_WEEK_COORDINATOR = [
    "care.plan_week",
    "care.record_attendance",
    "care.bill_sessions",
    "care.view_care_reports",
]
_CARE_WEEK_THERAPIST = ["care.record_attendance", "care.add_progressnote"]

# The centres and their applications (care-centres): coordinators run their centre's enrolment,
# therapists assess and see the disability details (care.view_care_medical), reception files.
_CARE_SETUP = [
    f"care.{verb}_{model}"
    for model in (
        "centre",
        "centrehours",
        "programme",
        "programmerule",
        "room",
        "staffmember",
        "staffavailability",
        "groupclass",
        "therapy",
    )
    for verb in ("view", "add", "change")
]
_CARE_COORDINATOR = [
    "care.view_centre",
    "care.view_application",
    "care.add_application",
    "care.change_application",
    "care.decide_application",
    "care.view_enrolment",
    "care.change_enrolment",
]
_CARE_THERAPIST = ["care.view_centre", "care.view_application", "care.change_application", "care.view_care_medical"]

# Solidarity allowances: reception files requests (and advances); the claims officer or an accountant
# checks a request, an accountant approves it (never the one who checked it: allowances' four eyes);
# the administrator keeps the types (their dated rates are referentials: referentials.change_referentials).
_ALLOWANCES_FILE = ["allowances.view_allowances", "allowances.file_allowancerequest"]
_ALLOWANCES_CHECK = ["allowances.view_allowances", "allowances.check_allowancerequest"]
_ALLOWANCES_ADMIN = [
    "allowances.view_allowances",
    "allowances.view_allowancetype",
    "allowances.add_allowancetype",
    "allowances.change_allowancetype",
]

# Complaints and appeals (grievances): reception files them for the member; claims officers and
# accountants review and answer; the appeals committee (decide_appeal: claims officers for claim
# lines, accountants for payments, never the member of staff who reviewed the appeal) decides appeals.
_GRIEVANCES_READ = ["grievances.view_grievance"]
_GRIEVANCES_FILE = ["grievances.view_grievance", "grievances.add_grievance"]
_GRIEVANCES_ANSWER = [*_GRIEVANCES_FILE, "grievances.answer_grievance", "grievances.decide_appeal"]

# A role's permissions; "app_label.codename". Unknown ones are ignored until their app exists.
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.MEMBER: [],
    Role.RECEPTION: [
        *_MEMBER_READ,
        *_MEMBER_WRITE,
        "claims.view_claimfile",
        "claims.add_claimfile",
        "claims.add_priorapproval",
        "care.add_application",
        "care.view_application",
        "care.view_all_centres",
        *_ALLOWANCES_FILE,
        *_CONTRIBUTIONS_COUNTER,
        "contributions.view_arrearsnotice",
        *_GRIEVANCES_FILE,
    ],
    Role.CLAIMS_OFFICER: [
        *_MEMBER_READ,
        "claims.view_claimfile",
        "claims.add_claimfile",
        "claims.change_claimfile",
        "claims.adjudicate_claimfile",
        "claims.add_priorapproval",
        *_ALLOWANCES_CHECK,
        *_GRIEVANCES_ANSWER,
    ],
    Role.MEDICAL_CONTROLLER: [
        *_MEMBER_READ,
        "claims.view_claimfile",
        "claims.view_medical",
        "claims.review_claimfile",
        "claims.decide_priorapproval",
        "claims.add_aldrecognition",
        "claims.change_aldrecognition",
        "reports.view_controls",
        *_GRIEVANCES_READ,
    ],
    Role.ACCOUNTANT: [
        *_MEMBER_READ,
        "claims.view_claimfile",
        "payments.view_paymentbatch",
        "payments.prepare_paymentbatch",
        "payments.validate_paymentbatch",
        "payments.export_paymentbatch",
        "payments.import_paymentreturn",
        *_ALLOWANCES_CHECK,
        "allowances.approve_allowancerequest",
        *_CONTRIBUTIONS_READ,
        "contributions.manage_payroll",
        "contributions.record_counter_receipt",
        *_RIGHTS_REVIEW,
        *_GRIEVANCES_ANSWER,
    ],
    Role.CENTRE_COORDINATOR: [*_CARE_WEEK_COORDINATOR, *_CARE_COORDINATOR],
    Role.THERAPIST: [*_CARE_WEEK_THERAPIST, *_CARE_THERAPIST],
    Role.MANAGER: [
        "care.view_care_reports",
        "care.view_centre",
        "care.view_all_centres",
        "care.view_application",
        *_WHATIF,
        *_GRIEVANCES_READ,
        "reports.view_dashboard",  # read-only: the refresh is the administrator's
    ],
    # claim_create's permission, for the API's third-party-payment files. Not claims.view_claimfile:
    # claims_visible gives a provider user its own provider's files only.
    Role.PROVIDER: ["claims.add_claimfile"],
    Role.ADMINISTRATOR: [
        *_MEMBER_READ,
        *_MEMBER_WRITE,
        *_REFERENTIALS,
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_provider",
        "accounts.add_provider",
        "accounts.change_provider",
        "accounts.view_apitoken",
        "audit.view_auditevent",
        "jobs.view_job",  # the job list in the admin (read-only)
        "auth.view_group",  # the roles and their permissions in the admin (read-only: this table defines them)
        *_CARE_SETUP,
        "care.view_all_centres",
        *_ALLOWANCES_ADMIN,
        *_WHATIF,
        "reports.view_dashboard",
        "reports.refresh_dashboard",  # "Refresh now" on the dashboard queues the summary job
    ],
    Role.AUDITOR: [
        *_MEMBER_READ,
        "referentials.view_referentials",
        "claims.view_claimfile",
        "payments.view_paymentbatch",
        "audit.view_auditevent",
        "allowances.view_allowances",
        *_CONTRIBUTIONS_READ,
        "contributions.view_arrearsnotice",
        *_GRIEVANCES_READ,
    ],
}
