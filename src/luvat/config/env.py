"""Every environment variable Luvat reads, in one place.

Settings read variables only through :func:`read`, and every variable is
declared in :data:`VARIABLES` with its help text. ``docs/configuration.md`` is
generated from this list (``luvat config-docs``) and a test fails when it is
stale.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


class ConfigError(Exception):
    """A configuration value is missing or invalid; the message is one line for a person."""


@dataclass(frozen=True)
class Variable:
    name: str
    help: str
    default: str
    production_default: str | None = None
    choices: tuple[str, ...] = ()
    kind: str = "string"  # string | bool | int | float | list | url | secret | path
    group: str = "General"

    def default_for(self, production: bool) -> str:
        if production and self.production_default is not None:
            return self.production_default
        return self.default


INSECURE_DEV_SECRET_KEY = "luvat-dev-insecure-secret-key-never-use-in-production"  # noqa: S105

VARIABLES: tuple[Variable, ...] = (
    Variable(
        "LUVAT_ENV",
        "Deployment mode. `production` turns off debug and demo features by default and "
        "makes `luvat check` refuse insecure settings.",
        default="dev",
        choices=("dev", "production"),
    ),
    Variable(
        "LUVAT_DEBUG",
        "Django debug mode: detailed error pages. Never on in production.",
        default="true",
        production_default="false",
        kind="bool",
    ),
    Variable(
        "LUVAT_SECRET_KEY",
        "Secret for signing sessions, CSRF tokens and links. At least 50 random characters "
        "in production; the built-in development value is refused there.",
        default=INSECURE_DEV_SECRET_KEY,
        kind="secret",
    ),
    Variable(
        "LUVAT_VAR_DIR",
        "Directory for local state: the embedded SQLite database, uploaded files, "
        "collected static files. Relative paths are taken from the working directory.",
        default="var",
        kind="path",
    ),
    Variable(
        "DATABASE_URL",
        "Database to use. `sqlite:///relative/path.sqlite3` (relative to the working "
        "directory), `sqlite:////absolute/path.sqlite3` or "
        "`postgres://user:password@host:5432/name`. Empty means the embedded SQLite "
        "database `$LUVAT_VAR_DIR/luvat.sqlite3` (development only).",
        default="",
        kind="url",
        group="Database and messaging",
    ),
    Variable(
        "LUVAT_DB_CONN_MAX_AGE",
        "Seconds a database connection (PostgreSQL or SQLite) is kept open for reuse by the "
        "thread that opened it (0 closes after each request).",
        default="60",
        kind="int",
        group="Database and messaging",
    ),
    Variable(
        "LUVAT_AMQP_URL",
        "RabbitMQ connection for the AMQP transport to authority systems, e.g. "
        "`amqp://guest:guest@127.0.0.1:5672/%2F`. Empty disables AMQP.",
        default="",
        kind="url",
        group="Database and messaging",
    ),
    Variable(
        "LUVAT_AMQP_PREFIX",
        "Prefix of every exchange and queue name Luvat declares on the broker "
        "(`<prefix>.applications`, `<prefix>.<authority code>`, `<prefix>.status`, "
        "`<prefix>.status-events`, `<prefix>.dead`, `<prefix>.status-events.dead`). Give each "
        "environment that shares a broker and virtual host its own prefix; authority systems "
        "must then consume and publish under the same names.",
        default="luvat",
        group="Database and messaging",
    ),
    Variable(
        "LUVAT_AMQP_QUEUE_TYPE",
        "Type of the queues Luvat declares: `quorum` (replicated; RabbitMQ 3.8 and later) or "
        "`classic` (older brokers). A queue that already exists as the other type is used as "
        "it is, with a warning in the log (`amqp.queue_type_kept`).",
        default="quorum",
        choices=("quorum", "classic"),
        group="Database and messaging",
    ),
    Variable(
        "LUVAT_IDENTITY_KEY",
        "Key of the digest by which a person's identity code is recognised again (the code "
        "itself is never stored). Empty uses `LUVAT_SECRET_KEY`; set it separately, and never "
        "change it, so that rotating the session key does not cut people off from their "
        "mandates and official roles.",
        default="",
        kind="secret",
    ),
    Variable(
        "LUVAT_SECRETS_KEY",
        "Key that encrypts secrets stored in the database (the signing secrets shared with "
        "authority systems). Empty derives it from `LUVAT_SECRET_KEY`; set it separately so "
        "that the session key can be rotated without re-entering those secrets.",
        default="",
        kind="secret",
        group="Integrations",
    ),
    Variable(
        "LUVAT_DEMO_SIMULATOR_PORT",
        "In demo mode (`LUVAT_DEMO` and `LUVAT_WORKER_IN_PROCESS` on), `luvat serve` runs a "
        "simulated authority system (the Helsinki rescue department's case system) on this "
        "local port, and `luvat load-demo` points that authority's endpoint at it. 0 turns "
        "the simulator off.",
        default="8710",
        production_default="0",
        kind="int",
        group="Integrations",
    ),
    Variable(
        "LUVAT_DELIVERY_MAX_ATTEMPTS",
        "Delivery attempts of one outbound message before it is dead-lettered for an "
        "administrator to look at.",
        default="15",
        kind="int",
        group="Integrations",
    ),
    Variable(
        "LUVAT_DELIVERY_BACKOFF_SECONDS",
        "First retry wait of a failed delivery in seconds; doubles per attempt (with full "
        "jitter) up to `LUVAT_DELIVERY_BACKOFF_CAP_SECONDS`.",
        default="5",
        kind="float",
        group="Integrations",
    ),
    Variable(
        "LUVAT_DELIVERY_BACKOFF_CAP_SECONDS",
        "Longest wait between two delivery attempts of one message, in seconds.",
        default="3600",
        kind="float",
        group="Integrations",
    ),
    Variable(
        "LUVAT_DELIVERY_LEASE_SECONDS",
        "How long a worker owns the messages it took for delivery. A worker that dies "
        "leaves them to others after this time; keep it well above the endpoints' timeouts.",
        default="300",
        kind="float",
        group="Integrations",
    ),
    Variable(
        "LUVAT_DELIVERY_CONCURRENCY",
        "Parallel HTTP requests to one endpoint within one worker. (AMQP publishes a "
        "whole batch on one connection, all awaiting their confirms at once.)",
        default="8",
        kind="int",
        group="Integrations",
    ),
    Variable(
        "LUVAT_CIRCUIT_FAILURE_THRESHOLD",
        "Consecutive failed deliveries to one endpoint that open its circuit breaker "
        "(deliveries to it are held).",
        default="5",
        kind="int",
        group="Integrations",
    ),
    Variable(
        "LUVAT_CIRCUIT_OPEN_SECONDS",
        "How long an open circuit breaker holds deliveries before one trial delivery.",
        default="60",
        kind="float",
        group="Integrations",
    ),
    Variable(
        "LUVAT_ATTACHMENT_LINK_SECONDS",
        "Validity of the attachment download links in delivered applications, in seconds.",
        default="604800",
        kind="int",
        group="Integrations",
    ),
    Variable(
        "LUVAT_ALLOWED_HOSTS",
        "Comma-separated host names this service answers to.",
        default="localhost,127.0.0.1,[::1],testserver",
        production_default="",
        kind="list",
        group="Web",
    ),
    Variable(
        "LUVAT_CSRF_TRUSTED_ORIGINS",
        "Comma-separated origins (scheme and host) trusted for form posts, when the "
        "service runs behind a proxy on another origin.",
        default="",
        kind="list",
        group="Web",
    ),
    Variable(
        "LUVAT_TRUSTED_PROXIES",
        "Comma-separated addresses or networks (CIDR) of the reverse proxies in front of "
        "Luvat. Only a request whose peer is one of them may set the client address, scheme "
        "and host through `X-Forwarded-For`, `X-Forwarded-Proto` and `X-Forwarded-Host` "
        "(`X-Forwarded-Port` is always dropped); from anyone else those headers are dropped. "
        "Empty trusts nobody. "
        "Applies under `luvat serve` and under any other WSGI server.",
        default="",
        kind="list",
        group="Web",
    ),
    Variable(
        "LUVAT_UPLOAD_MAX_BYTES",
        "Hard cap on one uploaded file, enforced while the request is read: bytes past it are "
        "dropped and the file is refused. Each kind of upload may have a lower limit.",
        default=str(20 * 1024 * 1024),
        kind="int",
        group="Uploads",
    ),
    Variable(
        "LUVAT_VIRUS_SCANNER",
        "Virus scan of every upload before it is stored: `clamd` (ClamAV's daemon at "
        "`LUVAT_CLAMD_ADDRESS`), `local` (stand-in that finds only the EICAR test file) or "
        "`none`. A scanner that does not answer refuses the file.",
        default="local",
        production_default="none",
        choices=("none", "local", "clamd"),
        group="Uploads",
    ),
    Variable(
        "LUVAT_CLAMD_ADDRESS",
        "Where clamd listens: `tcp://host:port` or `unix:///path/to/clamd.ctl`.",
        default="tcp://127.0.0.1:3310",
        group="Uploads",
    ),
    Variable(
        "LUVAT_CLAMD_TIMEOUT_SECONDS",
        "Seconds to wait for clamd to connect and answer.",
        default="30",
        kind="float",
        group="Uploads",
    ),
    Variable(
        "LUVAT_RATE_LIMITS",
        "Enforce the `LUVAT_RATE_*` limits (429 with `Retry-After`). Counts are kept in the "
        "database cache table `luvat_cache`, so every process and host shares them.",
        default="true",
        kind="bool",
        group="Rate limits",
    ),
    Variable(
        "LUVAT_RATE_LOGIN",
        "Rate limit of log-in attempts (admin password, test IdP) per client address, as "
        "`count/period` with period `s`, `m`, `h` or `d`, optionally multiplied "
        "(e.g. `10/m`, `100/5m`).",
        default="20/m",
        group="Rate limits",
    ),
    Variable(
        "LUVAT_RATE_ASSESSMENT",
        "Rate limit of `POST /api/v1/assessments` per client address.",
        default="60/m",
        group="Rate limits",
    ),
    Variable(
        "LUVAT_RATE_UPLOAD",
        "Rate limit of file uploads (attachments, supplement answers and discussion messages "
        "with files; web pages and API) per signed-in person.",
        default="30/m",
        group="Rate limits",
    ),
    Variable(
        "LUVAT_RATE_INBOUND",
        "Rate limit of the inbound status API (single and batch events) per authority.",
        default="600/m",
        group="Rate limits",
    ),
    Variable(
        "LUVAT_RATE_PUBLIC",
        "Rate limit of the open statistics (the lead-time page and `GET /api/v1/lead-times`) "
        "per client address.",
        default="60/m",
        group="Rate limits",
    ),
    Variable(
        "LUVAT_HTTPS",
        "The service is reached over HTTPS (through a TLS-terminating proxy that sets "
        "`X-Forwarded-Proto`, listed in `LUVAT_TRUSTED_PROXIES`): secure cookies, HSTS and "
        "redirects to HTTPS.",
        default="false",
        production_default="true",
        kind="bool",
        group="Web",
    ),
    Variable(
        "LUVAT_SERVE_THREADS",
        "Worker threads of the built-in WSGI server (`luvat serve`), and of each gunicorn "
        "process (`luvat serve --processes N`, `luvat.config.gunicorn`).",
        default="8",
        kind="int",
        group="Web",
    ),
    Variable(
        "LUVAT_SERVE_PROCESSES",
        "Processes of gunicorn (gthread) when the web server runs as `luvat serve --processes N` "
        "or `gunicorn -c python:luvat.config.gunicorn luvat.config.wsgi:application`. Plain "
        "`luvat serve` runs waitress in one process and ignores it.",
        default="2",
        kind="int",
        group="Web",
    ),
    Variable(
        "LUVAT_DEMO",
        "Demo features: `luvat load-demo` and demo log-ins. Refused by `luvat check` in "
        "production.",
        default="true",
        production_default="false",
        kind="bool",
        group="Web",
    ),
    Variable(
        "LUVAT_PUBLIC_URL",
        "The service's public address (scheme and host, no trailing slash), e.g. "
        "`https://luvat.example.fi`. Links in e-mails, calendar feed addresses, SAML entity "
        "ids, assertion consumer and logout URLs, the e-Authorizations return address and the "
        "links in documents delivered to authority systems are built from it.",
        default="http://localhost:8000",
        production_default="",
        kind="url",
        group="Web",
    ),
    Variable(
        "LUVAT_EMAIL_BACKEND",
        "How notification e-mails leave: `console` prints them to the log output (demo and "
        "development), `smtp` sends them through `LUVAT_SMTP_HOST`.",
        default="console",
        production_default="smtp",
        choices=("console", "smtp"),
        group="E-mail",
    ),
    Variable(
        "LUVAT_EMAIL_FROM",
        "Sender address of notification e-mails.",
        default="Luvat <noreply@luvat.example>",
        group="E-mail",
    ),
    Variable(
        "LUVAT_SMTP_HOST",
        "Host name of the SMTP server for `smtp` e-mail.",
        default="localhost",
        group="E-mail",
    ),
    Variable(
        "LUVAT_SMTP_PORT",
        "Port of the SMTP server (587 for STARTTLS).",
        default="587",
        kind="int",
        group="E-mail",
    ),
    Variable(
        "LUVAT_SMTP_USER",
        "User name at the SMTP server; empty for none.",
        default="",
        group="E-mail",
    ),
    Variable(
        "LUVAT_SMTP_PASSWORD",
        "Password at the SMTP server; empty for none.",
        default="",
        kind="secret",
        group="E-mail",
    ),
    Variable(
        "LUVAT_SMTP_STARTTLS",
        "Upgrade the SMTP connection with STARTTLS.",
        default="true",
        kind="bool",
        group="E-mail",
    ),
    Variable(
        "LUVAT_EMAIL_VERIFY_DAYS",
        "How many days the link that verifies a person's e-mail address stays valid. No "
        "notification e-mail goes to an address before its link is followed.",
        default="7",
        kind="int",
        group="E-mail",
    ),
    Variable(
        "LUVAT_EMAIL_MAX_ATTEMPTS",
        "How many times one e-mail is tried (connection errors and temporary 4xx SMTP "
        "answers, with doubling back-off from 2 minutes) before it is left in the dead-letter "
        "view (`/<lang>/notifications/undelivered/`) for an administrator. A permanent 5xx "
        "refusal of the recipient is not retried: the address is marked undeliverable and the "
        "person is told in the service.",
        default="5",
        kind="int",
        group="E-mail",
    ),
    Variable(
        "LUVAT_SUOMIFI_MESSAGES_BACKEND",
        "How authorities' letters reach companies' Suomi.fi mailboxes (for authorities that "
        "turned the channel on): `suomifi` (the Suomi.fi Messages REST API) or `local` (a "
        "stand-in: the companies in `LUVAT_SUOMIFI_MESSAGES_LOCAL_MAILBOXES` have a mailbox).",
        default="local",
        production_default="suomifi",
        choices=("local", "suomifi"),
        group="Suomi.fi Messages",
    ),
    Variable(
        "LUVAT_SUOMIFI_MESSAGES_URL",
        "Base URL of the Suomi.fi Messages REST API: `https://api.messages-qa.suomi.fi` (QA) "
        "or `https://api.messages.suomi.fi` (production).",
        default="https://api.messages-qa.suomi.fi",
        kind="url",
        group="Suomi.fi Messages",
    ),
    Variable(
        "LUVAT_SUOMIFI_MESSAGES_USERNAME",
        "API user name at Suomi.fi Messages (`POST /v1/token`).",
        default="",
        group="Suomi.fi Messages",
    ),
    Variable(
        "LUVAT_SUOMIFI_MESSAGES_PASSWORD",
        "API password at Suomi.fi Messages.",
        default="",
        kind="secret",
        group="Suomi.fi Messages",
    ),
    Variable(
        "LUVAT_SUOMIFI_MESSAGES_POSTI_EMAIL",
        "Contact e-mail of the printing and enveloping contract (Posti Messaging), needed only "
        "for multichannel messages that may go on paper.",
        default="",
        group="Suomi.fi Messages",
    ),
    Variable(
        "LUVAT_SUOMIFI_MESSAGES_POSTI_USERNAME",
        "User name of the printing and enveloping contract.",
        default="",
        group="Suomi.fi Messages",
    ),
    Variable(
        "LUVAT_SUOMIFI_MESSAGES_POSTI_PASSWORD",
        "Password of the printing and enveloping contract.",
        default="",
        kind="secret",
        group="Suomi.fi Messages",
    ),
    Variable(
        "LUVAT_SUOMIFI_MESSAGES_LOCAL_MAILBOXES",
        "Business IDs that have an active mailbox in the `local` stand-in.",
        default="3141593-8",
        kind="list",
        group="Suomi.fi Messages",
    ),
    Variable(
        "LUVAT_DISCUSSION_BACKEND",
        "Where discussion messages are kept: `builtin` (in the service's own database) or "
        "`zulip` (a Zulip server: a channel per project, a topic per thread).",
        default="builtin",
        choices=("builtin", "zulip"),
        group="Discussion",
    ),
    Variable(
        "LUVAT_ZULIP_SITE",
        "Address of the Zulip server, e.g. `https://chat.example.fi`, for the `zulip` backend.",
        default="",
        kind="url",
        group="Discussion",
    ),
    Variable(
        "LUVAT_ZULIP_EMAIL",
        "E-mail address of the Zulip bot the service posts as.",
        default="",
        group="Discussion",
    ),
    Variable(
        "LUVAT_ZULIP_API_KEY",
        "API key of the Zulip bot.",
        default="",
        kind="secret",
        group="Discussion",
    ),
    Variable(
        "LUVAT_ZULIP_CHANNEL_PREFIX",
        "Prefix of the Zulip channel names the service creates (one per project).",
        default="luvat",
        group="Discussion",
    ),
    Variable(
        "LUVAT_SUPERVISION_REMINDER_DAYS",
        "How many days before a supervision event the company is reminded of it.",
        default="7",
        kind="int",
        group="Supervision",
    ),
    Variable(
        "LUVAT_FILE_STORAGE",
        "Where attachments, decision documents and other uploaded files are kept: "
        "`filesystem` (`$LUVAT_VAR_DIR/media`, one machine only) or `s3` (an S3-compatible "
        "object store, shared by every web and worker machine; see the `LUVAT_S3_*` variables). "
        "`luvat storage-migrate` copies existing files from one to the other.",
        default="filesystem",
        choices=("filesystem", "s3"),
        group="File storage",
    ),
    Variable(
        "LUVAT_S3_BUCKET",
        "Bucket of the uploaded files when `LUVAT_FILE_STORAGE=s3`. Turn on versioning in "
        "the bucket (see docs/operations.md).",
        default="",
        group="File storage",
    ),
    Variable(
        "LUVAT_S3_ENDPOINT_URL",
        "Address of the S3-compatible API, e.g. `https://s3.eu-north-1.amazonaws.com` or a "
        "MinIO/Ceph address. Empty uses the AWS default for the region.",
        default="",
        kind="url",
        group="File storage",
    ),
    Variable(
        "LUVAT_S3_REGION",
        "Region of the bucket.",
        default="eu-north-1",
        group="File storage",
    ),
    Variable(
        "LUVAT_S3_ACCESS_KEY_ID",
        "Access key id for the bucket. Empty uses the standard AWS credential chain "
        "(instance role, `AWS_*` variables, web identity token).",
        default="",
        kind="secret",
        group="File storage",
    ),
    Variable(
        "LUVAT_S3_SECRET_ACCESS_KEY",
        "Secret access key for the bucket (with `LUVAT_S3_ACCESS_KEY_ID`).",
        default="",
        kind="secret",
        group="File storage",
    ),
    Variable(
        "LUVAT_S3_ADDRESSING_STYLE",
        "`path` (`endpoint/bucket/key`, what most self-hosted stores want), `virtual` "
        "(`bucket.endpoint/key`) or `auto`.",
        default="auto",
        choices=("auto", "path", "virtual"),
        group="File storage",
    ),
    Variable(
        "LUVAT_S3_SIGNED_URL_SECONDS",
        "Validity of the pre-signed object addresses the storage hands out (the admin's file "
        "links). Downloads by customers, officials and authority systems always go through "
        "the service, which checks access and logs the read.",
        default="300",
        kind="int",
        group="File storage",
    ),
    Variable(
        "LUVAT_RETENTION_ENABLED",
        "Run the retention job (purge and archive by the rules below) in the worker, once per "
        "cluster every `LUVAT_RETENTION_INTERVAL_SECONDS`. Off by default: `luvat retention "
        "--dry-run` first, then turn it on.",
        default="false",
        kind="bool",
        group="Data retention",
    ),
    Variable(
        "LUVAT_RETENTION_INTERVAL_SECONDS",
        "How often the worker's retention job runs when enabled.",
        default="86400",
        kind="int",
        group="Data retention",
    ),
    Variable(
        "LUVAT_RETENTION_DRAFT_DAYS",
        "Drafts never submitted are deleted, with their shared data and attachments, this "
        "many days after their last change (personal data minimisation). 0 keeps them.",
        default="365",
        kind="int",
        group="Data retention",
    ),
    Variable(
        "LUVAT_RETENTION_DISCUSSION_DAYS",
        "Discussion messages of closed projects are deleted this many days after the "
        "project closed. 0 keeps them.",
        default="730",
        kind="int",
        group="Data retention",
    ),
    Variable(
        "LUVAT_RETENTION_NOTIFICATION_DAYS",
        "In-service notifications older than this many days are deleted. 0 keeps them.",
        default="365",
        kind="int",
        group="Data retention",
    ),
    Variable(
        "LUVAT_RETENTION_ACCESS_LOG_DAYS",
        "Access-log rows (who read what) older than this many days are deleted by the "
        "retention run. 0 keeps them.",
        default="730",
        kind="int",
        group="Data retention",
    ),
    Variable(
        "LUVAT_RETENTION_AUDIT_LOG_DAYS",
        "Audit-log rows older than this many days are deleted by the retention run. "
        "0 (the default) keeps them for good: the audit log documents how public records "
        "were handled.",
        default="0",
        kind="int",
        group="Data retention",
    ),
    Variable(
        "LUVAT_RETENTION_CLOSED_PROJECT_DAYS",
        "Projects whose every application is decided, withdrawn or closed are archived this "
        "many days after the last change: submitted applications and decisions are kept as "
        "public records, drafts in them are purged. 0 never archives.",
        default="365",
        kind="int",
        group="Data retention",
    ),
    Variable(
        "LUVAT_WORKER_IN_PROCESS",
        "`luvat serve` also runs the background worker in a thread of the web process. "
        "Turn off when `luvat worker` runs as its own process.",
        default="true",
        production_default="false",
        kind="bool",
        group="Background worker",
    ),
    Variable(
        "LUVAT_WORKER_POLL_SECONDS",
        "How often the background worker looks for due work, in seconds.",
        default="1.0",
        kind="float",
        group="Background worker",
    ),
    Variable(
        "LUVAT_WORKER_LISTEN",
        "Wake the worker as soon as new outbox messages are committed (PostgreSQL "
        "`LISTEN/NOTIFY` on the channel `luvat_wake`; on SQLite, within the process) instead "
        "of waiting for the next poll. Off: polling only.",
        default="true",
        kind="bool",
        group="Background worker",
    ),
    Variable(
        "LUVAT_LOGIN_BACKENDS",
        "Comma-separated log-in methods offered on the log-in page: `suomifi` (Suomi.fi "
        "e-Identification, SAML), `virtu` (Virtu for state officials, SAML) and `test` (the "
        "test identity provider with demo persons; refused by `luvat check` in production).",
        default="test",
        production_default="suomifi",
        kind="list",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_SAML_KEY_FILE",
        "PEM private key of our SAML service provider: signs authentication and logout "
        "requests and decrypts encrypted assertions. Needed when `suomifi` or `virtu` is on.",
        default="",
        kind="path",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_SAML_CERT_FILE",
        "PEM certificate of the key in `LUVAT_SAML_KEY_FILE`, published in our SP metadata.",
        default="",
        kind="path",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_SAML_SUOMIFI_IDP_METADATA",
        "Local copy of the Suomi.fi e-Identification IdP metadata (test: "
        "`https://testi.apro.tunnistus.fi/static/metadata/idp-metadata.xml`, production: "
        "`https://tunnistus.suomi.fi/static/metadata/idp-metadata.xml`). Verify and refresh "
        "it when the IdP rolls its certificate.",
        default="",
        kind="path",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_SAML_SUOMIFI_ENTITY_ID",
        "Our SP entity id towards Suomi.fi. Empty means `$LUVAT_PUBLIC_URL/saml/suomifi/"
        "metadata/` (the URL where our metadata is published).",
        default="",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_SAML_SUOMIFI_LOA",
        "Level of assurance requested from Suomi.fi (AuthnContextClassRef), e.g. "
        "`http://ftn.ficora.fi/2017/loa3` (high) or `http://ftn.ficora.fi/2017/loa2` "
        "(substantial); a log-in below it is refused. In the Suomi.fi test environment, whose "
        "test methods report `urn:oid:1.2.246.517.3002.110.999`, set that value. The level "
        "the IdP reports is recorded at every log-in.",
        default="http://ftn.ficora.fi/2017/loa3",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_SAML_VIRTU_IDP_METADATA",
        "Local copy of the Virtu IdP metadata (state officials).",
        default="",
        kind="path",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_SAML_VIRTU_ENTITY_ID",
        "Our SP entity id towards Virtu. Empty means `$LUVAT_PUBLIC_URL/saml/virtu/metadata/`.",
        default="",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_VIRTU_ENTITLEMENT_PREFIX",
        "Virtu `virtuPersonEntitlement` values starting with this prefix grant roles at "
        "log-in: `<prefix>official:<AUTHORITY_CODE>` and `<prefix>authority-admin:<CODE>`.",
        default="luvat:",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_TEST_IDP_ACCESS_CODE",
        "Optional shared code that the test identity provider asks for (e.g. on a public "
        "test server). Empty: no code. Failed attempts are throttled.",
        default="",
        kind="secret",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_SESSION_IDLE_MINUTES",
        "A session ends after this many minutes without requests (its expiry is pushed "
        "forward at most once a minute, so it may end up to a minute sooner).",
        default="30",
        kind="int",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_LOGIN_MAX_FAILURES",
        "Failed log-in attempts (admin password, test IdP code) allowed per user name before "
        "that account's log-in is locked for `LUVAT_LOGIN_LOCKOUT_MINUTES`. Other accounts "
        "are not affected.",
        default="5",
        kind="int",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_LOGIN_MAX_FAILURES_PER_ADDRESS",
        "Failed log-in attempts allowed from one client address (whatever the user name) "
        "before log-in from that address only is locked for `LUVAT_LOGIN_LOCKOUT_MINUTES`. "
        "Higher than the per-account limit, since many people may share an address.",
        default="50",
        kind="int",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_LOGIN_LOCKOUT_MINUTES",
        "How long a log-in stays locked after too many failures.",
        default="15",
        kind="int",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_MANDATES_BACKEND",
        "Where the companies a person may act for come from: `suomifi` (Suomi.fi "
        "e-Authorizations) or `local` (the stand-in table edited in the admin; demo and tests).",
        default="local",
        production_default="suomifi",
        choices=("local", "suomifi"),
        group="Identity and access",
    ),
    Variable(
        "LUVAT_MANDATE_CACHE_SECONDS",
        "How long a person's list of companies is reused for reading. Every write re-checks "
        "the mandate from the source.",
        default="300",
        kind="int",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_EAUTH_URL",
        "Suomi.fi e-Authorizations base URL (`https://asiointivaltuustarkastus.test.suomi.fi`, "
        "`…qa.suomi.fi` or `https://asiointivaltuustarkastus.suomi.fi`).",
        default="https://asiointivaltuustarkastus.test.suomi.fi",
        kind="url",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_EAUTH_CLIENT_ID",
        "Our e-Authorizations client id (8 characters, from the Digital and Population Data "
        "Services Agency).",
        default="",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_EAUTH_API_KEY",
        "The e-Authorizations API key: signs every request (HMAC-SHA256 header).",
        default="",
        kind="secret",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_EAUTH_OAUTH_PASSWORD",
        "The e-Authorizations OAuth password, used when exchanging the authorisation code.",
        default="",
        kind="secret",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_EAUTH_ROLES",
        "Organisation role codes from e-Authorizations that let a person act for the company "
        "(e.g. TJ managing director, NIMKO sole signatory). Incomplete role data never counts.",
        default="TJ,TIL,ELI,S,IS,NIMKO",
        kind="list",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_EAUTH_MANDATE_ISSUE",
        "The code of the service layer's own mandate issue in Suomi.fi e-Authorizations "
        '("Lupa- ja valvontakokonaisuuksissa asiointi"), given by the Digital and Population '
        "Data Services Agency when the issue is registered. It is asked as well as the register "
        "roles (`issues=` on the organisation-roles call), and a person holding it may act for "
        "the company without a register role; the local stand-in accepts a `LocalMandate` whose "
        "role is this code. Empty: only register roles count. The default is a placeholder for "
        "development and the demo: set the registered code in production.",
        default="LUPAVALVONTA",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_COMPANY_REGISTER",
        "Company register backend: `ytj` (the open data API of the Finnish Patent and "
        "Registration Office, v3) or `local` (a stand-in with demo companies).",
        default="local",
        production_default="ytj",
        choices=("local", "ytj"),
        group="Identity and access",
    ),
    Variable(
        "LUVAT_YTJ_URL",
        "Base URL of the YTJ open data API v3.",
        default="https://avoindata.prh.fi/opendata-ytj-api/v3",
        kind="url",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_HTTP_TIMEOUT_SECONDS",
        "Timeout of calls to national services (company register, e-Authorizations).",
        default="10",
        kind="float",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_LOG_FORMAT",
        "Log output: `console` (readable) or `json` (one JSON object per line).",
        default="console",
        production_default="json",
        choices=("console", "json"),
        group="Logging",
    ),
    Variable(
        "LUVAT_LOG_LEVEL",
        "Lowest level logged: DEBUG, INFO, WARNING or ERROR.",
        default="INFO",
        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
        group="Logging",
    ),
    Variable(
        "LUVAT_METRICS_TOKEN",
        "Bearer token a Prometheus scraper sends to `/metrics` "
        "(`Authorization: Bearer <token>`). Empty turns `/metrics` off (it answers 404).",
        default="",
        kind="secret",
        group="Observability",
    ),
    Variable(
        "PROMETHEUS_MULTIPROC_DIR",
        "Read by prometheus-client itself: a directory (emptied at each start) where every "
        "web and worker process of one machine writes its request counters and job "
        "durations, so that `/metrics` adds up all processes. Empty: each process reports "
        "its own counters. The database-derived gauges are the same in every process "
        "either way.",
        default="",
        kind="path",
        group="Observability",
    ),
)

_BY_NAME = {v.name: v for v in VARIABLES}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class Environment:
    """Typed reads of the declared variables from a mapping (``os.environ`` by default)."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ
        self.production = self.raw("LUVAT_ENV") == "production"

    def raw(self, name: str) -> str:
        var = _BY_NAME[name]
        production = name != "LUVAT_ENV" and self.production
        value = self.environ.get(name)
        if value is None:
            value = var.default_for(production)
        value = value.strip()
        if var.choices and value not in var.choices:
            raise ConfigError(
                f"{name}={value!r} is not one of: {', '.join(var.choices)}",
            )
        return value

    def is_set(self, name: str) -> bool:
        return name in self.environ

    def string(self, name: str) -> str:
        return self.raw(name)

    def boolean(self, name: str) -> bool:
        value = self.raw(name).lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise ConfigError(f"{name}={value!r} is not a yes/no value (use true or false)")

    def integer(self, name: str) -> int:
        value = self.raw(name)
        try:
            return int(value)
        except ValueError:
            raise ConfigError(f"{name}={value!r} is not a whole number") from None

    def number(self, name: str) -> float:
        value = self.raw(name)
        try:
            return float(value)
        except ValueError:
            raise ConfigError(f"{name}={value!r} is not a number") from None

    def items(self, name: str) -> list[str]:
        return [item.strip() for item in self.raw(name).split(",") if item.strip()]

    def path(self, name: str) -> Path:
        return Path(self.raw(name)).expanduser().absolute()


def render_markdown() -> str:
    """The text of docs/configuration.md."""
    lines = [
        "# Configuration",
        "",
        "Luvat reads its configuration from environment variables only. This page is",
        "generated from `src/luvat/config/env.py` by `luvat config-docs`; a test fails",
        "when it is stale. Values in *production* apply when `LUVAT_ENV=production`",
        "and the variable is not set.",
        "",
    ]
    groups: dict[str, list[Variable]] = {}
    for var in VARIABLES:
        groups.setdefault(var.group, []).append(var)
    for group, variables in groups.items():
        lines += [f"## {group}", ""]
        for var in variables:
            lines.append(f"### `{var.name}`")
            lines.append("")
            lines.append(var.help)
            lines.append("")
            if var.kind == "secret" and var.default:
                lines.append("- Default: a development value (refused in production)")
            else:
                lines.append(f"- Default: `{var.default}`" if var.default else "- Default: empty")
            if var.production_default is not None:
                shown = f"`{var.production_default}`" if var.production_default else "empty"
                lines.append(f"- Default in production: {shown}")
            if var.choices:
                lines.append("- Allowed: " + ", ".join(f"`{c}`" for c in var.choices))
            lines.append(f"- Type: {var.kind}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"
