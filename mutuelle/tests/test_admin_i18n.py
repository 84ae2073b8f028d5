"""The Django admin in Arabic and French: branded as the mutual's administration, app sections and
roles by their labels, and every model's names (singular and plural) translated.

Every model of the project's apps names itself in its Meta with gettext_lazy: without it the admin
shows the English class name, or a plural Django makes by adding an "s" to the translated singular.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.test import Client
from django.utils.functional import Promise
from django.utils.translation import trans_real

from accounts.roles import Role

# The apps the project wrote; Django's own (auth, contenttypes, sessions, admin) ship translated.
PROJECT_APPS = (
    "accounts", "members", "referentials", "claims", "payments", "audit", "jobs", "portal", "demo",
    "contributions", "allowances", "care",
)  # fmt: skip
# The apps of before issue 10 (the new apps' helpers named their sections and models themselves).
EARLIER_APPS = PROJECT_APPS[:9]
# model label -> (verbose_name, verbose_name_plural) of the earlier apps' models, as in their Meta.
PROPOSED: dict[str, tuple[str, str]] = {
    "accounts.provider": ("provider", "providers"),
    "accounts.loginfailure": ("login failure", "login failures"),
    "accounts.ratecounter": ("rate counter", "rate counters"),
    "members.administration": ("administration", "administrations"),
    "members.member": ("member", "members"),
    "members.memberstatuschange": ("change of status", "changes of status"),
    "members.beneficiary": ("beneficiary", "beneficiaries"),
    "referentials.referentialversion": ("referential version", "referential versions"),
    "referentials.keyletter": ("key letter", "key letters"),
    "referentials.act": ("act", "acts"),
    "referentials.medicine": ("medicine", "medicines"),
    "referentials.aldcondition": ("long-term illness (ALD)", "long-term illnesses (ALD)"),
    "referentials.amorate": ("AMO rate", "AMO rates"),
    "referentials.complementaryrule": ("complementary rule", "complementary rules"),
    "referentials.parameter": ("parameter", "parameters"),
    "claims.certificate": ("certificate of affiliation", "certificates of affiliation"),
    "claims.claimfile": ("claim file", "claim files"),
    "claims.claimline": ("claim line", "claim lines"),
    "claims.claimtransition": ("claim file state change", "claim file state changes"),
    "claims.attachment": ("attachment", "attachments"),
    "claims.medicalnote": ("medical note", "medical notes"),
    "claims.aldrecognition": ("long-term illness recognition", "long-term illness recognitions"),
    "claims.priorapproval": ("prior approval", "prior approvals"),
    "payments.payment": ("payment", "payments"),
    "payments.paymentclaim": ("claim file in a payment", "claim files in payments"),
    "payments.returnimport": ("bank return import", "bank return imports"),
    "payments.fundentry": ("fund entry", "fund entries"),
    "payments.provideraccount": ("provider bank account", "provider bank accounts"),
    "audit.auditevent": ("audit event", "audit events"),
}
LANGUAGES = ("ar", "fr")


def _msgid(text: object) -> str:
    assert isinstance(text, Promise), text
    args = text._args  # type: ignore[attr-defined]  # gettext_lazy's (message,), pgettext_lazy's (context, message)
    return args[0] if len(args) == 1 else f"{args[0]}\x04{args[1]}"


def _translated(msgid: str) -> bool:
    return all(msgid in trans_real.translation(language)._catalog for language in LANGUAGES)  # type: ignore[attr-defined]


def _lacking(app_labels: tuple[str, ...]) -> list[str]:
    """`label.attribute` of every name not given in Meta as a translated lazy string."""
    found = []
    for app_label in app_labels:
        for model in apps.get_app_config(app_label).get_models():
            opts = model._meta
            for attribute in ("verbose_name", "verbose_name_plural"):
                value = getattr(opts, attribute)
                given = attribute in opts.original_attrs and isinstance(value, Promise)
                if not given or not _translated(_msgid(value)):
                    found.append(f"{opts.label_lower}.{attribute}")
    return sorted(found)


def test_it_has_translated_names_for_every_model() -> None:
    assert _lacking(PROJECT_APPS) == []


# Every app whose models the project wrote (issue 13: the audit pages and the admin show field labels).
FIELD_APPS = frozenset(PROJECT_APPS) | {"grievances", "reports", "fhir"}


def _unnamed_fields() -> list[str]:
    """`label.field` of every concrete field whose label Django would derive from its English name."""
    return sorted(
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in FIELD_APPS
        for field in model._meta.get_fields()
        if getattr(field, "concrete", False) and not field.auto_created and not isinstance(field.verbose_name, Promise)  # type: ignore[union-attr]
    )


def test_it_has_translated_names_for_every_field() -> None:
    assert _unnamed_fields() == []
    untranslated = sorted(
        {
            _msgid(field.verbose_name)  # type: ignore[union-attr]
            for model in apps.get_models()
            if model._meta.app_label in FIELD_APPS
            for field in model._meta.get_fields()
            if getattr(field, "concrete", False) and not field.auto_created
        }
    )
    assert [msgid for msgid in untranslated if not _translated(msgid)] == []


def test_it_names_the_earlier_apps_models_as_proposed() -> None:
    given = {
        model._meta.label_lower: (_msgid(model._meta.verbose_name), _msgid(model._meta.verbose_name_plural))
        for model in apps.get_models()
        if model._meta.label_lower in PROPOSED
    }
    assert given == PROPOSED


def test_it_has_the_translations_of_the_proposed_names_ready() -> None:
    missing = [name for pair in PROPOSED.values() for name in pair if not _translated(name)]
    assert missing == []


def test_it_names_every_app_section_in_arabic_and_french() -> None:
    untranslated = [
        app_label
        for app_label in EARLIER_APPS  # the new apps' helpers add their own catalogue entries
        if not isinstance(apps.get_app_config(app_label).verbose_name, Promise)
        or not _translated(_msgid(apps.get_app_config(app_label).verbose_name))
    ]
    assert untranslated == []


@pytest.fixture
def admin_client_of(make_user):  # type: ignore[no-untyped-def]
    def login(language: str) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(make_user(Role.ADMINISTRATOR))
        return client

    return login


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "name", "header", "section"),
    [
        ("ar", "التعاضدية العامة للموظفين", "التعاضدية العامة للموظفين — الإدارة", "المراجع"),
        ("fr", "Mutuelle Générale du Personnel", "Mutuelle Générale du Personnel — administration", "Référentiels"),
    ],
)
def test_it_brands_the_admin_as_the_mutuals_administration(
    admin_client_of, language: str, name: str, header: str, section: str
) -> None:
    login_page = Client(HTTP_ACCEPT_LANGUAGE=language).get("/admin/login/").content.decode()
    assert header in login_page
    index = admin_client_of(language).get("/admin/").content.decode()
    assert header in index
    assert section in index
    for english in ("Django", "Referentials", "ACCOUNTS", "Accounts and providers", "Audit trail"):
        assert english not in index


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "label"), [("ar", "منسق المركز"), ("fr", "Coordinateur de centre")])
def test_it_shows_groups_by_their_role_label(admin_client_of, make_user, language: str, label: str) -> None:
    client = admin_client_of(language)
    group = Group.objects.get(name=Role.CENTRE_COORDINATOR.value)
    assert label in client.get("/admin/auth/group/").content.decode()
    # The role filter of the user list, and the groups of a user's form.
    users = client.get("/admin/accounts/user/").content.decode()
    assert f'href="?groups__id__exact={group.pk}">{label}</a>' in users
    coordinator = make_user(Role.CENTRE_COORDINATOR)
    form = client.get(f"/admin/accounts/user/{coordinator.pk}/change/").content.decode()
    assert f'<option value="{group.pk}" selected>{label}</option>' in form
