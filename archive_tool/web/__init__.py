"""The archive in the browser: a Django application over the library (``archive-tool serve``).

Pages are rendered on the server (Chinese, printable); the few interactions (drag-and-drop
upload with a progress bar) are plain vendored JavaScript. Every call into the library goes
through :mod:`archive_tool.web.library`; accounts, reviews and the activity log live in the
server's own database (:mod:`archive_tool.web.models`), everything else comes from the files.
"""
