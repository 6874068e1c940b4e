"""Councilcase settings, read from the environment (twelve-factor).

Defaults are the safe production values; development and the test harness opt out of them
through environment variables (``DJANGO_DEBUG=true``), never by editing this file.
"""

import datetime
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
if "*" in ALLOWED_HOSTS and not DEBUG:
    # check --deploy accepts a wildcard; a council deployment must name its hosts.
    raise environ.ImproperlyConfigured("DJANGO_ALLOWED_HOSTS may not contain '*' in production")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "axes",
    "csp",
    "django_celery_beat",
    "crispy_forms",
    "crispy_forms_gds",
    "govuk_frontend_django",
    "core",
    "core.notifications",
    "council",
    "protocols",
    "relationships",
    "complaints",
]

MIDDLEWARE = [
    "core.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise: static files need no policy; every page and error page gets one.
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "council.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.audit.middleware.AuditActorMiddleware",
    # Last: counts failed sign-ins and answers a locked-out account (django-axes).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "core.context_processors.service",
            ],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The signed-in session's statement (council.backends) is prepared once per connection. Turn
# off behind a pooler that gives each transaction another server session (PgBouncer's
# transaction pooling), where a prepared statement does not follow the client.
PREPARED_STATEMENTS = env.bool("COUNCILCASE_PREPARED_STATEMENTS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "council.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a sign-in to an account locked out by failed attempts (django-axes).
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, loading the account with its officer and member records in one query.
    "council.backends.PersonBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Guardian's anonymous user would be one global row shared by every council: not wanted.
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / ".local" / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "DJANGO_STATICFILES_STORAGE",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / ".local" / "media")
# Evidence attached to conduct complaints: outside the web root, served only through a view
# that checks the viewer may see the complaint (complaints.conduct.models.PrivateStorage).
COUNCILCASE_PRIVATE_MEDIA_ROOT = env.path(
    "COUNCILCASE_PRIVATE_MEDIA_ROOT", default=BASE_DIR / ".local" / "private"
)

# Security: production defaults; development turns them off with DJANGO_DEBUG=true.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Django's database sessions, read with the signed-in account in one statement (council.sessions).
SESSION_ENGINE = "council.sessions"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (django-csp 4). Strict: no inline script except base.html's GOV.UK
# Frontend feature detection, which carries the per-request nonce (request.csp_nonce); no
# inline styles at all. The Swagger UI page widens style-src for itself only (config/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="councilcase@localhost")
EMAIL_FILE_PATH = env.path("DJANGO_EMAIL_FILE_PATH", default=BASE_DIR / ".local" / "mail")
SITE_URL = env("DJANGO_SITE_URL", default="http://localhost:8000")

REDIS_URL = env("REDIS_URL")
# Shared by every web process: API token rate limits (core.api.throttling) count here.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("COUNCILCASE_CACHE_URL", default=REDIS_URL),
        "KEY_PREFIX": env("COUNCILCASE_CACHE_PREFIX", default="councilcase"),
    },
    # Each process's own cache of rendered filter forms (core.forms.render_cached): keyed by
    # their content, so never stale; a few hundred kilobytes at most per entry. It also keeps
    # each viewer's last check of a form's options (a short digest) for the seconds below.
    "rendered": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "councilcase-rendered-forms",
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}
# How long a person's filter form (the queue's officers and directorates) is shown without
# checking its options again: a renamed or new officer appears in it within this time.
RENDERED_FORM_RECHECK_SECONDS = env.int("COUNCILCASE_FORM_RECHECK_SECONDS", default=30)
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Intervals in seconds, not crontabs: UTC intervals do not fire twice or skip at the UK clock
# changes, and every task here is harmless to run twice (DESIGN.md, Member enquiries).
# The DatabaseScheduler copies these into django-celery-beat's PeriodicTask rows on start.
CELERY_BEAT_SCHEDULE = {
    "sweep-deadlines": {
        "task": "complaints.sweep_deadlines",
        "schedule": env.float("COUNCILCASE_SWEEP_INTERVAL_SECONDS", default=300.0),
    },
    "relay-outbox": {"task": "notifications.relay_outbox", "schedule": 60.0},
    "remind-protocol-reviews": {"task": "protocols.remind_reviews", "schedule": 86400.0},
    "clear-expired-sessions": {"task": "council.clear_expired_sessions", "schedule": 86400.0},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "council.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.api.permissions.ScopedResourcePermission"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["core.api.filters.FilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["core.api.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_THROTTLE_CLASSES": ["core.api.throttling.ApiTokenRateThrottle"],
}
# Requests per API token: "<n>/<second|minute|hour|day>" (core.api.throttling); 429 beyond it.
API_TOKEN_RATE = env("COUNCILCASE_API_TOKEN_RATE", default="600/minute")
# Who among signed-in people may read the change feed (core.events); tokens need events:read.
EVENT_FEED_READERS = "council.roles.is_council_administrator"
SPECTACULAR_SETTINGS = {
    "TITLE": "Councilcase API",
    "DESCRIPTION": "Casework and complaints for UK councils. See API.md for the contract.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Tag operations by resource (members, officers, ...) rather than all as "v1".
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    # Each resource's "status" is its own set of values, named after the resource.
    "ENUM_NAME_OVERRIDES": {
        "EnquiryStatusEnum": "complaints.choices.EnquiryStatus",
        "ProtocolVersionStatusEnum": "protocols.choices.VersionStatus",
        "DeclarationStatusEnum": "relationships.choices.DeclarationStatus",
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
CRISPY_GDS_FRONTEND_VERSION = "5.14.0"  # static/govuk/ (scripts/vendor_govuk_frontend.sh)

# Failed sign-ins (DESIGN.md, Security decisions: login limits of their own, keyed safely
# behind proxies). Counted per account, not per address: a council's staff often share one
# address behind its proxy, and an address from X-Forwarded-For is only as good as the proxy
# configuration. After AXES_FAILURE_LIMIT failures the account cannot sign in for
# AXES_COOLOFF_TIME, even with the right password; a success resets the count. Counted in
# the Redis cache (no database write per attempt).
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "council.security.sign_in_username"
AXES_LOCKOUT_CALLABLE = "council.views.locked_out"
AXES_FAILURE_LIMIT = env.int("COUNCILCASE_SIGN_IN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=env.int("COUNCILCASE_SIGN_IN_COOLOFF_MINUTES", default=15)
)
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# axes.W006 asks for the address among the lockout parameters. Deliberately not: behind a
# council's network every member of staff can arrive from one address, and five typing
# mistakes in the office would lock everyone out. Rotating user agents or cookies does not
# get round a lockout counted per account.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

SERVICE_NAME = "Councilcase"
# Where the accessibility statement (/accessibility/) tells people to write if they cannot use
# the service or find a problem. Each council MUST set its own address: the default is a
# placeholder, marked as such on the page.
COUNCILCASE_ACCESSIBILITY_CONTACT = env(
    "COUNCILCASE_ACCESSIBILITY_CONTACT", default="accessibility@example.invalid"
)
AUDIT_HISTORY_PERMISSION = "council.permissions.can_view_history"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # django-axes logs every sign-in at INFO; lockouts are WARNING and stay.
    "loggers": {"axes": {"level": "WARNING"}},
}
