"""Settings for trafficking_cms, read top to bottom; every secret and endpoint comes from the environment."""

import base64
import hashlib
import os
import sys
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a boolean from the environment."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# ---------------------------------------------------------------------------
# Core
# ---------------------------------------------------------------------------
DEBUG = env_bool("DJANGO_DEBUG", default=False)
_DEV_SECRET = "dev-only-insecure-secret-key-change-me"  # noqa: S105 - refused below when DEBUG is off
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
TESTING = env_bool("TESTING") or "pytest" in sys.modules
DEMO_MODE = env_bool("DEMO_MODE")
# Production: neither DEBUG nor the demo (the tests run with the production switches unless a test says otherwise).
PRODUCTION = not DEBUG and not DEMO_MODE

if not DEBUG and SECRET_KEY == _DEV_SECRET and not DEMO_MODE and not TESTING:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_DEBUG is off (or set DEMO_MODE=1 for a local demo).")

# The demo without DEBUG runs with the public in-repo secret key and cookies sent over plain http: it is for one
# machine only. Any host name but a loopback one would let others reach it; refused at start.
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
if DEMO_MODE and not DEBUG and not set(ALLOWED_HOSTS) <= LOOPBACK_HOSTS:
    from django.core.exceptions import ImproperlyConfigured

    _outside = ", ".join(sorted(set(ALLOWED_HOSTS) - LOOPBACK_HOSTS))
    raise ImproperlyConfigured(
        "DEMO_MODE=1 runs with the public demo secret key and insecure cookies: ALLOWED_HOSTS may hold only "
        f"loopback names (localhost, 127.0.0.1, ::1, [::1]), not {_outside}. "
        "Bind the demo to this machine, or run in production mode (set SECRET_KEY, leave DEMO_MODE unset)."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # its widget templates, for the project's form templates (FORM_RENDERER below)
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework_api_key",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "csp",
    "guardian",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "accounts",
    "cases",
    "screening",
    "referrals",
    "reports",
    "trafficking_cms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "trafficking_cms.middleware.PermissionsPolicyMiddleware",
    "trafficking_cms.middleware.AdminMethodsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "trafficking_cms.middleware.DefaultLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the session passed the code step
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "trafficking_cms.middleware.PersonalDataNoStoreMiddleware",
    "accounts.sessions.SessionTimeoutMiddleware",
    # After the timeouts: a session signed in with the password only reaches the code step and nothing else.
    "accounts.otp.OtpRequiredMiddleware",
    # Last, as axes asks: turns a login refused for a locked-out username into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Forms render with the project's templates first (templates/django/forms/: required marks, checkboxes before labels).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

ROOT_URLCONF = "trafficking_cms.urls"
WSGI_APPLICATION = "trafficking_cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "trafficking_cms.context_processors.navigation",
            ],
        },
    },
]

# ---------------------------------------------------------------------------
# Database: SQLite file by default, PostgreSQL through DATABASE_URL
# ---------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")

# ---------------------------------------------------------------------------
# Authentication and access
# ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out username before any password is checked
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row; anonymous visitors have no object permissions
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"  # the first page of each role (trafficking_cms.views.home)
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast tests only

# Proxies in front of the app that append the client's address to X-Forwarded-For (0: the peer is the client).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# Key of the hashes under which the access log keeps what a duplicate check probed; keep it stable across deploys.
ACCESS_LOG_HASH_KEY = os.environ.get("ACCESS_LOG_HASH_KEY", "") or f"access-log:{SECRET_KEY}"
# Encryption at rest of whereabouts, contacts, health and document numbers (accounts.encryption): comma-separated
# base64 32-byte keys, the first encrypts and all decrypt (rotation: README, "Encryption at rest"). Without DEBUG,
# the demo or the tests it must be set; the dev key below is public (derived from a fixed text) and is refused there.
_DEV_FIELD_KEY = base64.urlsafe_b64encode(hashlib.sha256(b"dev-only-insecure-field-encryption-key").digest()).decode()
FIELD_ENCRYPTION_KEYS = os.environ.get("FIELD_ENCRYPTION_KEYS", "").strip() or _DEV_FIELD_KEY
if not DEBUG and not DEMO_MODE and not TESTING and FIELD_ENCRYPTION_KEYS.split(",")[0].strip() == _DEV_FIELD_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEYS must be set when DJANGO_DEBUG is off (or set DEMO_MODE=1 for a local demo); "
        'make one with: python -c "import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())"'
    )
# Key of the blind indexes (keyed hashes) that find an encrypted phone or document number by exact value; keep it
# stable, or run `rotate_encryption_key` after changing it (the command recomputes them).
BLIND_INDEX_KEY = os.environ.get("BLIND_INDEX_KEY", "") or f"blind-index:{SECRET_KEY}"
# Duplicate checks a user may run per window (count, seconds); 0 checks means no limit.
DUPLICATE_CHECK_RATE = (
    int(os.environ.get("DUPLICATE_CHECKS_PER_WINDOW", "30")),
    int(os.environ.get("DUPLICATE_CHECK_WINDOW_SECONDS", "600")),
)

# Login lockout (django-axes, accounts/lockout.py). The 5th failed login in a row for a username shows the lockout
# page, and every login of that username is refused (even with the right password) until the cool-off has passed;
# a successful login clears the count. Counted by username alone, from any address: a password guessed from many
# addresses is stopped as well. Not by address: a whole police station (or a mobile operator) shares one NAT address,
# and one mistyping officer or one attacker would lock out everyone behind it. Nor by username+address together: an
# attacker with many addresses would get 5 guesses per address. The price, that anyone can lock an officer out for the
# cool-off by typing their username, is bounded: attempts during the lock do not extend it, and an administrator can
# unlock at once (admin "Access attempts", or `manage.py axes_reset_username <username>`).
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks for the address among the lockout parameters, against attackers who rotate User-Agents or cookies
# (which our username-only lock does not depend on); it would lock out a whole station behind one NAT, as said above.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the lockout page's "try again after N minutes" holds
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"  # templates/registration/locked_out.html, translated
AXES_HTTP_RESPONSE_CODE = 429
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"  # no NUL, at most 150 characters (axes keeps 255)
AXES_CLIENT_IP_CALLABLE = "accounts.readers.client_ip"  # the same address, through TRUSTED_PROXY_COUNT, as the logs
# Kept of a failed login: the username, the address and the time, never the password, the browser or the page asked for
# (accounts.lockout.LockoutHandler); successful logins are not recorded by axes.
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_DISABLE_ACCESS_LOG = True
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password", "next", "csrfmiddlewaretoken"]

# Two-factor sign-in (accounts/otp.py): after the password, every user signed in through the browser gives the 6-digit
# code of a TOTP authenticator app (django-otp), or enrols one at their first sign-in. On in production; the demo
# (DEMO_MODE=1) has it off unless OTP_REQUIRED=1, and every page then says it is off. API keys are not sessions and are
# not asked for a code.
OTP_REQUIRED = env_bool("OTP_REQUIRED", default=PRODUCTION)
# Wrong codes in a row a user may give; the next one is refused unchecked until the window, counted from the first
# wrong code, has passed (or an administrator resets the user's device). Counted per user, in the shared cache.
OTP_FAILURE_LIMIT = int(os.environ.get("OTP_FAILURE_LIMIT", "5"))
OTP_FAILURE_WINDOW_SECONDS = int(os.environ.get("OTP_FAILURE_WINDOW_SECONDS", str(15 * 60)))
# django-otp's own delay after a wrong code (1 s, 2 s, 4 s, …) is off: it would refuse the right code typed a second
# after a typo with the same "wrong code" answer. The limit above stops guessing instead (5 guesses in 1 000 000).
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Trafficking CMS")
# The admin never shows a user's TOTP secret or its QR code (django-otp shows them by default).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Sessions (accounts/sessions.py): signed out after SESSION_IDLE_TIMEOUT seconds without a request, and in any case
# SESSION_ABSOLUTE_TIMEOUT seconds after signing in. Sessions live in the database, so deactivating a user deletes
# theirs (accounts.services.user_deactivate).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(15 * 60)))
SESSION_ABSOLUTE_TIMEOUT = int(os.environ.get("SESSION_ABSOLUTE_TIMEOUT", str(8 * 60 * 60)))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT  # the cookie never outlives the session's absolute limit
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = not DEBUG and env_bool("SECURE_COOKIES", default=not env_bool("DEMO_MODE"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp 4): the project's own files only; no inline script or style, no plug-in, no
# <base>, no framing, forms post only here. The API documentation (Swagger UI) relaxes it on its own view only
# (trafficking_cms/api_docs.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# Permissions-Policy (trafficking_cms.middleware.PermissionsPolicyMiddleware): no page uses any of these features.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), fullscreen=(), "
    "geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), "
    "picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), usb=(), xr-spatial-tracking=()"
)

# ---------------------------------------------------------------------------
# Internationalisation: Kyrgyz first
# ---------------------------------------------------------------------------
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "ky")
LANGUAGES = [
    ("ky", _("Kyrgyz")),
    ("ru", _("Russian")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Bishkek"
USE_TZ = True
LANGUAGE_COOKIE_NAME = "cms_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
# Use the browser's Accept-Language before the user picks a language; off: everyone starts in LANGUAGE_CODE.
LANGUAGE_FROM_BROWSER = env_bool("LANGUAGE_FROM_BROWSER", default=False)
LANGUAGE_COOKIE_SAMESITE = "Lax"

# ---------------------------------------------------------------------------
# Static and media files: served by the project (whitenoise), never from a CDN
# ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING or env_bool("DEMO_MODE")
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING or env_bool("DEMO_MODE")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = None  # attachments are served only through permission-checked views
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", str(15 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Files the project stores (attachments, PDFs) are readable by the server's user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# ---------------------------------------------------------------------------
# E-mail
# ---------------------------------------------------------------------------
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cms@localhost")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))  # seconds; an SMTP server that stops answering is retried
# Every e-mail of the outbox has the Message-ID <outbox id@this domain>: the same for every attempt, so a copy sent
# twice (delivery is at least once) can be recognised. Default: the domain of DEFAULT_FROM_EMAIL.
EMAIL_MESSAGE_ID_DOMAIN = (
    os.environ.get("EMAIL_MESSAGE_ID_DOMAIN") or parseaddr(DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
)

# ---------------------------------------------------------------------------
# Outbox: delivery attempts and the relay
# ---------------------------------------------------------------------------
# A delivery is given up (status "failed") after this many failed attempts, or after the relay claimed it this many
# times in a row without any attempt being recorded. A permanent SMTP rejection (5xx) fails at once.
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "12"))
OUTBOX_RELAY_BATCH_SIZE = 100  # rows claimed per transaction
OUTBOX_RELAY_MAX_PER_RUN = 5000  # rows one relay run queues at most, well inside the task time limit
# A row the relay queued is claimed this long: no other relay run queues it again meanwhile. If the delivery never
# records an attempt (its worker was killed, its task lost with the broker), the next relay run after this re-sends it.
# Keep it longer than a delivery takes (a webhook's timeout, an SMTP conversation), or a slow delivery is sent twice.
OUTBOX_CLAIM_SECONDS = int(os.environ.get("OUTBOX_CLAIM_SECONDS", "120"))

# ---------------------------------------------------------------------------
# Webhooks to organisations' systems (referrals/webhooks.py), delivered through the outbox
# ---------------------------------------------------------------------------
# Production refuses plain http and addresses inside our networks (private, loopback, link-local, reserved): a URL an
# organisation registers must not reach the servers beside ours. A local run, the demo and the tests allow both.
_WEBHOOK_LOCAL = DEBUG or env_bool("DEMO_MODE") or TESTING
WEBHOOK_REQUIRE_HTTPS = env_bool("WEBHOOK_REQUIRE_HTTPS", default=not _WEBHOOK_LOCAL)
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", default=_WEBHOOK_LOCAL)
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "10"))
WEBHOOK_MAX_ENDPOINTS_PER_ORGANISATION = int(os.environ.get("WEBHOOK_MAX_ENDPOINTS_PER_ORGANISATION", "10"))

# ---------------------------------------------------------------------------
# Celery: JSON only, late acks, time limits; eager when REDIS_URL is unset
# ---------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Nothing reads task results: keeping none means a .delay() never subscribes to the result backend (which, with Redis
# down, blocked the writing request for about 20 s). A task whose result is read opts in with ignore_result=False.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_RESULT_EXPIRES = 24 * 60 * 60
CELERY_TIMEZONE = TIME_ZONE
# Longer than the longest task (plus its retries' wait), so Redis never re-delivers a task still running.
CELERY_VISIBILITY_TIMEOUT = 60 * 60
# Short socket timeouts and a bounded publish retry: a .delay() in an on-commit hook gives up within a few seconds
# when Redis is down or does not answer, instead of holding the request; the outbox relay sends the row later.
# The socket timeout stays above the worker's 1 s BRPOP wait.
BROKER_SOCKET_TIMEOUTS = {"socket_connect_timeout": 2, "socket_timeout": 3}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT, **BROKER_SOCKET_TIMEOUTS}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2},
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = BROKER_SOCKET_TIMEOUTS["socket_connect_timeout"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker that lost Redis reconnects by itself however long the outage lasts (Celery's default gives up after 100
# attempts and the worker exits).
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# The Redis transport with one fix (trafficking_cms/broker.py): with kombu 5.7.0 a channel closed after Celery's
# consumer collected its lost connection restored its unacknowledged messages through the detached transport and raised
# AttributeError: 'NoneType' object has no attribute 'hostname' (celery/kombu#582, celery/kombu#970: the same
# `_connparams` trace), and the worker process exited. kombu 5.7.0 is the latest release and still has that code.
CELERY_BROKER_TRANSPORT = "trafficking_cms.broker:Transport" if REDIS_URL else None
# Tasks running when the connection is lost finish (a delivery is idempotent on its outbox row); cancelling them would
# send a webhook twice more often. Said explicitly: Celery 6 changes the default.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_BEAT_SCHEDULE = {
    "outbox-relay": {"task": "accounts.tasks.outbox_relay", "schedule": 30.0},
    # The escalation clock: due items overdue (past the grace below) are reported to the unit's head, once each.
    "escalate-overdue": {"task": "referrals.tasks.escalate_overdue", "schedule": 60.0},
}

# ---------------------------------------------------------------------------
# Cache (rate limits): Redis shared by every replica; local memory without REDIS_URL and in tests
# ---------------------------------------------------------------------------
if REDIS_URL and not TESTING:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cms",
        }
    }

# ---------------------------------------------------------------------------
# REST API
# ---------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api_auth.OrganisationApiKeyAuthentication",
        # A browser session counts only once it has passed the code step (OTP_REQUIRED); else 403 otp_required.
        "accounts.otp.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["trafficking_cms.api.JSONParser"],  # JSON only; deep nesting and size answered as 4xx
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # JSON only in production; the browsable API and the OPTIONS description only in DEBUG or the demo.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + ([] if PRODUCTION else ["rest_framework.renderers.BrowsableAPIRenderer"]),
    "DEFAULT_METADATA_CLASS": None if PRODUCTION else "rest_framework.metadata.SimpleMetadata",
    "EXCEPTION_HANDLER": "trafficking_cms.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["accounts.api_throttle.ApiCallerThrottle"],
}
# Wrong API keys in a row from one client address before every key from it is refused (429) for the rest of the
# window, counted from the first wrong key (accounts/api_auth.py). By address: an API key names no person to count by.
API_KEY_FAILURE_LIMIT = int(os.environ.get("API_KEY_FAILURE_LIMIT", "5"))
API_KEY_FAILURE_WINDOW_SECONDS = int(os.environ.get("API_KEY_FAILURE_WINDOW_SECONDS", str(15 * 60)))
# Requests per API key (or signed-in user, or address) and window: "600/min"; s, min, hour or day; empty for none.
API_THROTTLE_RATE = os.environ.get("API_THROTTLE_RATE", "600/min")
# The OpenAPI schema and its documentation page: public in DEBUG or the demo; else for a signed-in user or an API key.
API_SCHEMA_PUBLIC = not PRODUCTION
SPECTACULAR_SETTINGS = {
    "TITLE": "Trafficking CMS API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_NAME_OVERRIDES": {
        "PurposeEnum": "screening.qualification.PURPOSES",
        "CategoryEnum": "referrals.models.CATEGORIES",
        "ReferralStatusEnum": "referrals.serializers.RECIPIENT_STATUSES",
        "ServiceEnum": "referrals.models.Service",
        "WebhookEventEnum": "referrals.models.WebhookEvent",
        "WebhookSubscribableEventEnum": "referrals.models.SUBSCRIBABLE_EVENTS",
    },
    "SERVE_PERMISSIONS": ["trafficking_cms.api.SchemaReadPermission"],
    "SERVE_AUTHENTICATION": [
        "accounts.api_auth.OrganisationApiKeyAuthentication",
        "accounts.otp.VerifiedSessionAuthentication",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",  # served by the project, no CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# ---------------------------------------------------------------------------
# Logging: never personal data; only ids and codes are logged
# ---------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Request lines are not logged: a search query string may hold a name. Errors name only the path.
    # WeasyPrint logs each step of every PDF at INFO (the rights sheet): only its warnings are kept.
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # axes logs every login at INFO; its warnings (a lockout) are kept, with the username and address masked.
        "axes": {"level": "WARNING"},
    },
}

# ---------------------------------------------------------------------------
# Production hardening when DEBUG is off and not a local demo
# ---------------------------------------------------------------------------
if not DEBUG and not env_bool("DEMO_MODE") and not TESTING:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # HSTS: a year, for every subdomain, ready for the browsers' preload list (SECURE_HSTS_* to change).
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SIMPLE_HISTORY_ENFORCE_HISTORY_MODEL_PERMISSIONS = True
SIMPLE_HISTORY_REVERT_DISABLED = True

# ---------------------------------------------------------------------------
# Deadlines the handbook does not set: project policy, configurable, shown as such (hours)
# ---------------------------------------------------------------------------
OBLIGATION_POLICY_HOURS = {
    "child_referral": int(os.environ.get("POLICY_CHILD_REFERRAL_HOURS", "24")),
    "intl_cooperation_decision": int(os.environ.get("POLICY_INTL_DECISION_HOURS", "72")),
    "rapport_registration": int(os.environ.get("POLICY_RAPPORT_HOURS", "24")),
    "establish_elements": int(os.environ.get("POLICY_ESTABLISH_ELEMENTS_HOURS", "72")),
    "hotline_urgent": int(os.environ.get("POLICY_HOTLINE_URGENT_HOURS", "1")),
    "hotline_normal": int(os.environ.get("POLICY_HOTLINE_NORMAL_HOURS", "24")),
}
# Project policy: how long a due item may be overdue before its unit's head is told (once). An item due "immediately"
# is overdue a minute after it appears; the duty unit gets this long to act before the head hears of it.
OBLIGATION_ESCALATION_GRACE_MINUTES = int(os.environ.get("POLICY_ESCALATION_GRACE_MINUTES", "15"))

# ---------------------------------------------------------------------------
# Marking done: minutes during which who marked a step or a due item done may take it back (then it stays done)
# ---------------------------------------------------------------------------
UNDO_MINUTES = int(os.environ.get("UNDO_MINUTES", "10"))
