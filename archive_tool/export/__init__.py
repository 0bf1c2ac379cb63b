"""The inspection package: what the archive group hands the inspectors.

Everything here takes what scan, lint and check produced (:class:`~.catalog.ArchiveYear`, one
per year) and opens no evidence file except in the file-conversion step of the binder and the
site (:mod:`.convert`, thumbnails), which reads the files it puts on paper or copies.

- :mod:`.catalog` the catalogue model (卷内文件目录); :mod:`.catalog_render` text and JSON
  (schema there); :mod:`.catalog_xlsx` the xlsx an archivist prints;
- :mod:`.binder` a PDF per leaf indicator (cover, 卷内目录, the files, page numbers, outline),
  one per level-I indicator joining its leaves, and the index labels (:mod:`.labels`);
- :mod:`.site` a static folder that opens from a USB stick (no server, no network);
- :mod:`.selfcheck` the 自评表 xlsx.
"""
from .catalog import ArchiveYear, Catalogue, Entry, Volume, build_catalogue

__all__ = ["ArchiveYear", "Catalogue", "Entry", "Volume", "build_catalogue"]
