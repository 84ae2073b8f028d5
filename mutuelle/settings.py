"""Django settings for Mutuelle, read from environment variables (see README)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from mutuelle.env import env_bool, env_int, env_list, env_positive_int, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("MUTUELLE_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not env_bool("MUTUELLE_INSECURE_DEV_KEY", False):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    # Only for `make run` / tests: a fixed key that never reaches production (`check --deploy` fails on it).
    SECRET_KEY = "dev-insecure-mutuelle-key-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
MUTUELLE_INSECURE_DEV_KEY = env_bool("MUTUELLE_INSECURE_DEV_KEY", False)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "accounts",
    "audit",
    "members",
    "referentials",
    "claims",
    "payments",
    "contributions",
    "allowances",
    "care",
    "jobs",
    "grievances",
    "reports",
    "portal",
    "fhir",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "mutuelle.middleware_headers.NoStoreMiddleware",
    # Every error under /api/ as application/problem+json, the hostile-input refusals included.
    "mutuelle.api_problems.ProblemJsonMiddleware",
    # NUL characters, bad UTF-8, over-deep or oversized JSON: 400 before any view or query.
    "mutuelle.middleware_input.HostileInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Idempotency-Key on the API's POSTs: below LocaleMiddleware, so that its 409 is translated.
    "mutuelle.idempotency.IdempotencyMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "mutuelle.middleware_sessions.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "mutuelle.urls"
WSGI_APPLICATION = "mutuelle.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
            ],
            # `{{ amount|money }}` in every template without a load (mutuelle.templatetags.money).
            "builtins": ["mutuelle.templatetags.money"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker and the web server write without "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
    }


def _cache(url: str) -> dict[str, str]:
    """CACHE_URL: `db://<table>` (default: a table in the main database, no extra server),
    `redis://[:password@]host:6379/0` (or rediss://; needs the `redis` package), `locmem://` (one process only)."""
    scheme, _sep, rest = url.partition("://")
    if scheme == "db":
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": rest or "mutuelle_cache"}
    if scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": rest}
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"CACHE_URL must start with db://, redis://, rediss:// or locmem://, got {url!r}")


# Shared by every web worker and the job worker; rate limits have their own table (mutuelle.throttle).
CACHES = {"default": _cache(env_str("CACHE_URL", "db://mutuelle_cache"))}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed logins allowed per username (and per address) inside the window before refusing.
LOGIN_THROTTLE_LIMIT = env_int("LOGIN_THROTTLE_LIMIT", 5)
LOGIN_THROTTLE_WINDOW_SECONDS = env_int("LOGIN_THROTTLE_WINDOW_SECONDS", 900)
# Calls per minute per API token on /api/v1 and /fhir (a token's own rate_per_minute overrides it).
API_RATE_LIMIT_PER_MINUTE = env_positive_int("API_RATE_LIMIT_PER_MINUTE", 600)

LANGUAGE_CODE = env_str("LANGUAGE_CODE", "fr")
LANGUAGES = [("ar", _("Arabic")), ("fr", _("French")), ("en", _("English"))]
LANGUAGES_BIDI = ["ar"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Africa/Casablanca")
USE_I18N = True
USE_TZ = True
# Amounts "83 250,23" in Arabic and French, "83,250.23" in English (mutuelle.formats says why).
FORMAT_MODULE_PATH = ["mutuelle.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
# Scans and generated documents live outside the web root; views serve them after a permission check.
PRIVATE_MEDIA_ROOT = VAR_DIR / "private"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Mutuelle <no-reply@mutuelle.local>")
SMS_BACKEND = env_str("SMS_BACKEND", "accounts.sms.FileSmsBackend")
# Member notifications (e-mail and SMS): outbox jobs sent by the worker (members.outbox). NOTIFY off
# queues none at all; CLAIMS_NOTIFY off only those of claim files returned, approved or paid.
NOTIFY = env_bool("NOTIFY", True)
CLAIMS_NOTIFY = env_bool("CLAIMS_NOTIFY", True)
SMS_FILE_PATH = Path(env_str("SMS_FILE_PATH", str(VAR_DIR / "sms.log")))
# The mutual's legal name in each script (mutuelle.branding): the admin's header, Arabic pages get the Arabic one.
MUTUAL_NAME_AR = env_str("MUTUAL_NAME_AR", "التعاضدية العامة للموظفين")
MUTUAL_NAME_FR = env_str("MUTUAL_NAME_FR", "Mutuelle Générale du Personnel")
# The letterhead of its documents (mutuelle.letterhead): head office, contacts, and who signs, in each script.
MUTUAL_ADDRESS_AR = env_str("MUTUAL_ADDRESS_AR", "12، شارع محمد الخامس، 10000 الرباط")
MUTUAL_ADDRESS_FR = env_str("MUTUAL_ADDRESS_FR", "12, avenue Mohammed V, 10000 Rabat")
MUTUAL_PHONE = env_str("MUTUAL_PHONE", "+212 537 00 00 00")
MUTUAL_WEBSITE = env_str("MUTUAL_WEBSITE", "www.mutuelle.example")
MUTUAL_EMAIL = env_str("MUTUAL_EMAIL", "contact@mutuelle.example")
MUTUAL_CITY_AR = env_str("MUTUAL_CITY_AR", "الرباط")
MUTUAL_CITY_FR = env_str("MUTUAL_CITY_FR", "Rabat")
MUTUAL_SIGNATORY_TITLE_AR = env_str("MUTUAL_SIGNATORY_TITLE_AR", "مديرة الخدمات")
MUTUAL_SIGNATORY_TITLE_FR = env_str("MUTUAL_SIGNATORY_TITLE_FR", "La Directrice des prestations")
MUTUAL_SIGNATORY_NAME_AR = env_str("MUTUAL_SIGNATORY_NAME_AR", "نادية العلوي")
MUTUAL_SIGNATORY_NAME_FR = env_str("MUTUAL_SIGNATORY_NAME_FR", "Nadia Alaoui")
# The mutual's own account, the debtor of payment batches (demo values by default).
MUTUELLE_DEBTOR_NAME = env_str("MUTUELLE_DEBTOR_NAME", "Mutuelle Generale du Personnel")
MUTUELLE_DEBTOR_IBAN = env_str("MUTUELLE_DEBTOR_IBAN", "MA64011780000012345678901296")
MUTUELLE_DEBTOR_BIC = env_str("MUTUELLE_DEBTOR_BIC", "BCMAMAMC")

SESSION_COOKIE_HTTPONLY = True
# A working day at most from login, and logged out after half an hour without a request
# (mutuelle.middleware_sessions); both in seconds.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 9 * 3600)
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
# Server-rendered pages and htmx: nothing inline, nothing from another host. htmx's indicator
# <style> is turned off in base.html (htmx-config) rather than allowing inline styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
