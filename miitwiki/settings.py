"""MiitWiki settings: every per-environment value comes from an environment variable.

The defaults give a safe, local setup: SQLite file, local-memory cache, DEBUG off.
`make run` turns DEBUG on; production sets DATABASE_URL, REDIS_URL and SECRET_KEY.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: str = "0") -> bool:
    return os.environ.get(name, default).lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_flag("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (or set DEBUG=1 for local work)."
        )
    SECRET_KEY = "insecure-local-development-key-only-used-with-debug-on"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "markdownx",
    "reversion",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Early, so that no view, static file or session lookup sees a NUL byte.
    "miitwiki.control_characters.ControlCharacterMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The interface language: the picker's cookie, else Accept-Language (no URL prefix).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "miitwiki.urls"
WSGI_APPLICATION = "miitwiki.wsgi.application"

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
            ],
        },
    },
]

# Database: a SQLite file unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg's pool owns the connections, so Django must not keep its own.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The timeout is how long a request waits for a connection while the database
    # is down before it answers 503. No health check: psycopg's pool backs off
    # 1 s, 2 s, 4 s… between failed checks, so after a restart a request would wait
    # out several dead connections; instead each dead one fails one request fast
    # (a 503) and is dropped.
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DATABASE_POOL_MIN", "2")),
        "max_size": int(os.environ.get("DATABASE_POOL_MAX", "10")),
        "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "3")),
    }

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database of `make run`: editors saving at once must queue, not
    # fail. A transaction that reads and then writes cannot wait for another
    # writer (SQLite answers "database is locked" at once rather than risk a
    # deadlock), so every transaction takes the write lock as it begins and waits
    # up to `timeout` seconds for it; in WAL mode readers never wait for a writer.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": float(os.environ.get("SQLITE_TIMEOUT", "20")),
            "init_command": "PRAGMA journal_mode=WAL",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, else local memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "miitwiki.cache.OptionalRedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The interface language (docs/languages.md): English or Simplified Chinese, chosen
# by the picker in the header (a cookie) or else by the browser's Accept-Language.
# Public URLs carry no language prefix; cached pages are kept per language.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as "5 December 2026" in English and "2026年12月5日" in Chinese (miitwiki/formats).
FORMAT_MODULE_PATH = ["miitwiki.formats"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Hashed, compressed static files need `collectstatic`; local work and tests
# serve the source files instead.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_flag("STATIC_MANIFEST", "0" if DEBUG else "1")
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}


SITE_NAME = "MiitWiki"
# The licence of the articles' text, as a URL: pages state it to machines (JSON-LD).
CONTENT_LICENSE = os.environ.get(
    "CONTENT_LICENSE", "https://creativecommons.org/licenses/by-sa/4.0/"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The editor's preview and image upload are the project's own staff-only views
# (markdownx's own URLs are anonymous); only raster images, verified by Pillow.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "articles.rendering.markdownify_preview"
MARKDOWNX_URLS_PATH = "/editor/preview/"
MARKDOWNX_UPLOAD_URLS_PATH = "/editor/upload/"
MARKDOWNX_UPLOAD_CONTENT_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
MARKDOWNX_UPLOAD_MAX_SIZE = int(os.environ.get("UPLOAD_MAX_BYTES", 5 * 1024 * 1024))
# Width × height: a 48-megapixel photo fits; decoding one takes about 150 MB.
UPLOAD_MAX_PIXELS = int(os.environ.get("UPLOAD_MAX_PIXELS", 50_000_000))
MARKDOWNX_MEDIA_PATH = "uploads/"
MARKDOWNX_IMAGE_MAX_SIZE = {"size": (1600, 1600), "quality": 90}

# --- Performance and scale-out (render cache, conditional GET, read replicas) ---
# Anonymous readers' article pages may be kept this long by browsers and proxies
# (they revalidate with the ETag afterwards); signed-in users never get cached pages.
PUBLIC_PAGE_MAX_AGE = int(os.environ.get("PUBLIC_PAGE_MAX_AGE", "60"))
# Each worker serves a page it gave an anonymous reader this recently again without
# checking the database (0: always check); its own writes show at once, other
# workers' within this window.
PAGE_FRESH_SECONDS = float(os.environ.get("PAGE_FRESH_SECONDS", "1"))

# A Redis that is down or unreachable must cost a page little time: the render
# cache then falls back to rendering (miitwiki/cache.py).
if REDIS_URL:
    CACHES["default"]["OPTIONS"] = {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}
# Whole pages for anonymous readers, in each worker's own memory (keys come from
# the database, so workers never disagree); the rendered bodies stay in "default".
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "anonymous-pages",
    "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("PAGE_CACHE_ENTRIES", "600"))},
}

# DATABASE_REPLICA_URLS: comma-separated URLs of read-only copies (streaming
# standbys) of DATABASE_URL. miitwiki.replicas sends reads to a replica that is
# reachable, lags at most DATABASE_REPLICA_MAX_LAG seconds and has replayed what
# the reader last wrote (by WAL position); everything else reads the primary.
DATABASE_REPLICAS = []
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    # Django's own persistent connections, checked at each request's first use, not
    # psycopg's pool: a pool waits out its timeout (3 s) for a replica that is down and
    # backs off for many seconds after it is back; a refused connection fails at once.
    replica = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    replica.setdefault("OPTIONS", {})["connect_timeout"] = 2  # libpq's shortest
    # Tests use the primary's test database; a replica gets none of its own.
    replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica{number}"] = replica
    DATABASE_REPLICAS.append(f"replica{number}")
DATABASE_REPLICA_MAX_LAG = float(os.environ.get("DATABASE_REPLICA_MAX_LAG", "30"))
if DATABASE_REPLICAS:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URLS needs a PostgreSQL DATABASE_URL.")
    DATABASE_ROUTERS = ["miitwiki.replicas.PrimaryReplicaRouter"]
    MIDDLEWARE = ["miitwiki.replicas.ReadYourWritesMiddleware", *MIDDLEWARE]

# --- Security hardening (see docs/security.md) ---------------------------------
# HTTPS-only settings default on when DEBUG is off, except the redirect to HTTPS,
# which is opt-in so that the test suite and plain-http local runs keep working
# (`manage.py check --deploy` reminds production to set it). HSTS headers are only
# ever sent on HTTPS responses.
SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT")
# A load balancer probes gunicorn itself over plain http: a redirect is no answer.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_flag("SECURE_PROXY_SSL_HEADER"):
    # Only behind a proxy that sets this header itself and strips it from clients.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_flag("SECURE_COOKIES", "0" if DEBUG else "1")
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True  # editor.js reads the token from the form, never the cookie
LANGUAGE_COOKIE_HTTPONLY = True  # only the server reads the interface language
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", "1")
SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD")
if not SECURE_HSTS_PRELOAD:
    # Preloading is a lasting commitment of the whole domain, the operator's call.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp 4 format): no inline script or style, no
# plugins, no framing; scripts, styles, fetches and forms stay on this origin.
# Images may come from https hosts too (articles embed them; images run nothing).
INSTALLED_APPS += ["csp", "axes"]
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "csp.middleware.CSPMiddleware")  # fmt: skip
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "https:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-src": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one
# username from one address, that pair is refused (429) for LOGIN_COOLOFF_MINUTES.
# The pair, not the address alone, so that editors behind one proxy do not lock
# each other out; the address is REMOTE_ADDR (see docs/security.md for proxies).
MIDDLEWARE.append("axes.middleware.AxesMiddleware")  # last, as axes requires
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Each try while paused starts the pause again, so the page's Retry-After is exact.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
AXES_LOCKOUT_CALLABLE = "articles.views.lockout.login_paused"
AXES_USERNAME_CALLABLE = "articles.views.lockout.attempted_username"

# Request sizes: a whole article (lead and every section, each up to 200,000
# characters) is posted at once by the admin, so the body limit is well above the
# 2.5 MB default, and an article of many sections sends many fields. Bigger bodies
# are refused with a 400 that says so (articles.views.errors).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("REQUEST_MAX_BYTES", 20 * 1024 * 1024))
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- The read API (articles/api, docs/api.md) -----------------------------------
# JSON only; anonymous clients are throttled per address (in the "default" cache,
# shared by the workers), editors authenticate with a token (or their session).
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.common.CommonMiddleware"),
                  "articles.api.cors.read_only_cors")  # fmt: skip
# The API answers in English whatever the interface language (articles/api/english.py).
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.locale.LocaleMiddleware") + 1,
                  "articles.api.english.english_api")  # fmt: skip
# Innermost but for axes (which must stay last): a stored answer skips only the
# URL resolver and the view (articles/api/stored.py).
MIDDLEWARE.insert(MIDDLEWARE.index("axes.middleware.AxesMiddleware"),
                  "articles.api.stored.stored_answers")  # fmt: skip
API_ANONYMOUS_RATE = os.environ.get("API_ANONYMOUS_RATE", "120/minute")
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["articles.api.throttling.AnonymousRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "articles.api.errors.json_error",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MiitWiki read API",
    "DESCRIPTION": "Articles, revisions, sources and debates as JSON. See docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_NAME_OVERRIDES": {
        "ArticleStatusEnum": "articles.models.Article.Status",
        "ChangeStatusEnum": "articles.api.serializers.DIFF_STATUSES",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "articles.api.schema.document_errors",
    ],
}

# --- Source checks (articles/checks, docs/sources.md) ---------------------------
# The checker fetches URLs that editors typed: private, loopback, link-local and
# metadata addresses are refused unless SOURCE_FETCH_ALLOW_PRIVATE (tests only)
# lets loopback and private networks through.
SOURCE_FETCH_ALLOW_PRIVATE = env_flag("SOURCE_FETCH_ALLOW_PRIVATE")
SOURCE_FETCH_TIMEOUT = float(os.environ.get("SOURCE_FETCH_TIMEOUT", "20"))  # whole fetch
SOURCE_FETCH_MAX_BYTES = int(os.environ.get("SOURCE_FETCH_MAX_BYTES", 10 * 1024 * 1024))
SOURCE_FETCH_MAX_REDIRECTS = int(os.environ.get("SOURCE_FETCH_MAX_REDIRECTS", "5"))
SOURCE_FETCH_HOST_DELAY = float(os.environ.get("SOURCE_FETCH_HOST_DELAY", "1"))  # per host
SOURCE_FETCH_WORKERS = int(os.environ.get("SOURCE_FETCH_WORKERS", "8"))  # hosts at once
SOURCE_FETCH_USER_AGENT = os.environ.get(
    "SOURCE_FETCH_USER_AGENT", "MiitWikiSourceChecker/1.0 (+https://github.com/miitwiki)"
)
# Time-outs and other passing failures in a row before a link counts as dead.
SOURCE_DEAD_AFTER_FAILURES = int(os.environ.get("SOURCE_DEAD_AFTER_FAILURES", "3"))
WEB_ARCHIVE_SAVE_URL = os.environ.get("WEB_ARCHIVE_SAVE_URL", "https://web.archive.org/save/")
# A source last checked longer ago than this is listed as stale on /maintenance/.
SOURCE_CHECK_STALE_DAYS = int(os.environ.get("SOURCE_CHECK_STALE_DAYS", "30"))
# The RQ queue of "check now" (on REDIS_URL); without Redis checks run inline.
SOURCE_CHECK_QUEUE = os.environ.get("SOURCE_CHECK_QUEUE", "source-checks")
# Snapshots go to the default storage: MEDIA_ROOT, or an S3-compatible bucket.
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
