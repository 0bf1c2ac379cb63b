"""Django's settings for ``archive-tool serve``, made in code (no settings module to edit).

Where the server keeps its own data — the database of accounts, reviews and the activity log,
the generated secret key, thumbnails — is a per-user data folder, never the archive: an
archive usually sits on an SMB share that every member of staff can read, and neither the key
nor the password hashes belong there.

- ``--data DIR`` or ``ARCHIVE_TOOL_DATA``, else
- Windows: ``%LOCALAPPDATA%\\archive-tool``; macOS: ``~/Library/Application Support/archive-tool``;
  elsewhere ``$XDG_DATA_HOME/archive-tool`` (``~/.local/share/archive-tool``).

``DATABASE_URL=postgresql://user:password@host:5432/name`` puts the database on PostgreSQL
instead of ``<data>/web.sqlite3``.
"""
from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .library import UsageError

DATA_ENV = "ARCHIVE_TOOL_DATA"
DATABASE_ENV = "DATABASE_URL"
SECRET_FILE = "secret_key"
#: the largest file the browser may upload, in MB (``serve --max-upload``)
DEFAULT_MAX_UPLOAD_MB = 100


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The server's data folder (made if missing)."""
    chosen = explicit or os.environ.get(DATA_ENV)
    if chosen:
        folder = Path(chosen)
    elif sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.environ.get("APPDATA") or Path.home()
        folder = Path(base) / "archive-tool"
    elif sys.platform == "darwin":
        folder = Path.home() / "Library" / "Application Support" / "archive-tool"
    else:
        base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
        folder = Path(base) / "archive-tool"
    folder = folder.resolve()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"无法建立数据文件夹 {folder}（{exc.strerror or exc}）",
                         f"用 --data 指定一个可写的文件夹，或设置环境变量 {DATA_ENV}。") from None
    return folder


def refuse_inside(folder: Path, archive_root: Path) -> None:
    """The data folder must not lie inside the archive (a shared folder)."""
    root = archive_root.resolve()
    if folder == root or root in folder.parents:
        raise UsageError(f"数据文件夹 {folder} 在档案文件夹之内：账号数据库和密钥会随共享文件夹泄露",
                         f"用 --data 指定档案之外的文件夹（或设置环境变量 {DATA_ENV}）。")


def secret_key(folder: Path) -> str:
    """The key in ``<data>/secret_key``, generated on first start (readable by its owner only)."""
    path = folder / SECRET_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
        if len(key) >= 32:
            return key
        raise UsageError(f"密钥文件 {path} 内容无效",
                         "删除该文件后重新启动（已登录的用户需要重新登录）。") from None
    key = secrets.token_urlsafe(50)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(key + "\n")
    return key


def database(url: str | None, folder: Path) -> dict:
    """Django's DATABASES entry: SQLite in the data folder, or the PostgreSQL of ``url``."""
    if not url:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(folder / "web.sqlite3"),
                "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE",
                            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}}
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise UsageError(f"不支持的数据库地址：{parts.scheme}://…",
                         "写成 postgresql://用户:密码@主机:5432/数据库名，或去掉 DATABASE_URL 使用 SQLite。")
    return {"ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")), "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""), "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""), "CONN_MAX_AGE": 60}


def configure(*, data: Path, database_url: str | None = None, debug: bool = False,
              timezone: str = "Asia/Shanghai", max_upload_mb: int = DEFAULT_MAX_UPLOAD_MB,
              fast_hashing: bool = False) -> None:
    """Configure Django once per process and set it up. ``fast_hashing`` is for tests only."""
    import django
    from django.conf import settings

    if settings.configured:
        return
    context = ["django.template.context_processors.request",
               "django.contrib.auth.context_processors.auth",
               "django.contrib.messages.context_processors.messages",
               "archive_tool.web.access.context"]
    settings.configure(
        DEBUG=debug, SECRET_KEY=secret_key(data), ALLOWED_HOSTS=["*"],
        INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes",
                        "django.contrib.sessions", "django.contrib.messages",
                        "archive_tool.web.apps.WebConfig"],
        MIDDLEWARE=["django.middleware.security.SecurityMiddleware",
                    "django.contrib.sessions.middleware.SessionMiddleware",
                    "django.middleware.common.CommonMiddleware",
                    "django.middleware.csrf.CsrfViewMiddleware",
                    "django.contrib.auth.middleware.AuthenticationMiddleware",
                    "django.contrib.messages.middleware.MessageMiddleware",
                    "django.middleware.clickjacking.XFrameOptionsMiddleware",
                    "archive_tool.web.access.security_headers"],
        ROOT_URLCONF="archive_tool.web.urls",
        TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates",
                    "APP_DIRS": True, "OPTIONS": {"context_processors": context}}],
        DATABASES={"default": database(database_url, data)},
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        LANGUAGE_CODE="zh-hans", TIME_ZONE=timezone, USE_I18N=True, USE_TZ=True,
        AUTH_PASSWORD_VALIDATORS=[
            {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
            {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
            {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"}],
        LOGIN_URL="/login/", STATIC_URL="/static/",
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_AGE=10 * 3600, CSRF_COOKIE_SAMESITE="Lax",
        CSRF_FAILURE_VIEW="archive_tool.web.access.csrf_failure",
        X_FRAME_OPTIONS="SAMEORIGIN", SECURE_CONTENT_TYPE_NOSNIFF=True,
        SECURE_REFERRER_POLICY="same-origin",
        DATA_UPLOAD_MAX_MEMORY_SIZE=5 * 1024 * 1024, FILE_UPLOAD_MAX_MEMORY_SIZE=5 * 1024 * 1024,
        DATA_UPLOAD_MAX_NUMBER_FILES=50,
        ARCHIVE_MAX_UPLOAD=max_upload_mb * 1024 * 1024, ARCHIVE_DATA=data,
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        PASSWORD_HASHERS=(["django.contrib.auth.hashers.MD5PasswordHasher"] if fast_hashing
                          else ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]),
        LOGGING={"version": 1, "disable_existing_loggers": False,
                 "handlers": {"console": {"class": "logging.StreamHandler"}},
                 "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}}},
    )
    django.setup()


def migrate() -> None:
    """Create or update the tables (quietly)."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
