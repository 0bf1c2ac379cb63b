"""Starting the web application: settings, database, the archive, and the WSGI server.

waitress serves it: pure Python, runs the same on Windows (a PC with the share mounted) and
Linux, several threads in one process (the snapshot and the login throttle are per process).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import library, settings as web_settings
from .site import DEFAULT_MAX_AGE, Site, install


@dataclass(frozen=True)
class Options:
    """How ``archive-tool serve`` and ``archive-tool user`` were asked to run."""

    root: Path
    data: Path | None = None
    database_url: str | None = None
    debug: bool = False
    max_upload_mb: int = web_settings.DEFAULT_MAX_UPLOAD_MB
    as_of: date | None = None
    max_age: float = DEFAULT_MAX_AGE
    #: of a folder of several years, the year to serve (default the last one listed)
    year: str | None = None
    #: tests only: a fast password hasher
    fast_hashing: bool = False


@dataclass(frozen=True)
class Prepared:
    archive: library.Archive
    data: Path
    database: str


def prepare(options: Options) -> Prepared:
    """Open the archive, configure Django and bring the database's tables up to date."""
    archive = library.open_archive(options.root, options.year)
    data = web_settings.data_dir(options.data)
    web_settings.refuse_inside(data, library.unit_root(archive))
    url = options.database_url if options.database_url is not None \
        else os.environ.get(web_settings.DATABASE_ENV)
    web_settings.configure(data=data, database_url=url, debug=options.debug,
                           timezone=archive.timezone, max_upload_mb=options.max_upload_mb,
                           fast_hashing=options.fast_hashing)
    web_settings.migrate()
    where = "PostgreSQL" if url else str(data / "web.sqlite3")
    return Prepared(archive, data, where)


def unit_of(prepared: Prepared):
    """The database's record of the archive's unit (made on first use)."""
    from .accounts import unit_for

    return unit_for(str(library.unit_root(prepared.archive)), prepared.archive.unit)


def start_site(options: Options, prepared: Prepared) -> Site:
    """The archive the views serve, with its first snapshot made (the index in background)."""
    site = install(Site(prepared.archive.root, as_of=options.as_of, max_age=options.max_age))
    site.refresh()
    return site


def wsgi_application():
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


def make_server(host: str, port: int, max_upload_mb: int, threads: int = 8):
    """A waitress server on ``host:port`` (port 0: a free one, see ``effective_port``)."""
    from waitress import create_server

    return create_server(wsgi_application(), host=host, port=port, threads=threads,
                         max_request_body_size=(max_upload_mb + 10) * 1024 * 1024,
                         ident="archive-tool", clear_untrusted_proxy_headers=True)


def run_until(server, stop) -> None:
    """Serve until ``stop`` (a threading.Event) is set, looking at it each second, or until
    Ctrl+C. A stop asked by a signal handler that raised would be lost when it landed inside
    one of waitress's handlers, whose bare ``except`` swallows any exception (seen: a server
    that ignored SIGTERM); an event is never lost."""
    sockets = server._map if hasattr(server, "_map") else server.map
    try:
        while not stop.is_set():
            server.asyncore.loop(timeout=server.adj.asyncore_loop_timeout, map=sockets,
                                 use_poll=server.adj.asyncore_use_poll, count=1)
    except KeyboardInterrupt:  # as waitress's own run
        pass
