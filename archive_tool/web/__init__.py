"""The archive in the browser: a Django application over the library (``archive-tool serve``).

Pages are rendered on the server (Chinese, printable); the few interactions (drag-and-drop
upload with a progress bar) are plain vendored JavaScript. Every call into the library goes
through :mod:`archive_tool.web.library`; accounts, reviews and the activity log live in the
server's own database (:mod:`archive_tool.web.models`), everything else comes from the files.

The names below are the front end's own face, for ``archive-tool serve`` and ``archive-tool
user``; they are imported on first use (Django is an optional dependency).
"""
from __future__ import annotations

import importlib

_EXPORTS = {
    "Options": "server", "prepare": "server", "make_server": "server", "start_site": "server",
    "unit_of": "server", "run_until": "server",
    "add_user": "accounts", "describe": "accounts", "list_users": "accounts",
    "remove_user": "accounts", "role_key": "accounts", "set_password": "accounts",
}

__all__ = sorted([*_EXPORTS, "require"])


def require() -> None:
    """UsageError (exit 2) when the web front end's packages (Django, waitress) are missing."""
    from .library import UsageError

    try:
        import django  # noqa: F401
        import waitress  # noqa: F401
    except ImportError:
        raise UsageError("没有安装网页版所需的组件（Django、waitress）",
                         "运行 pip install 'archive-tool[web]' 后重试。") from None


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
