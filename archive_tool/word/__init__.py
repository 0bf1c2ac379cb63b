"""Word documents (.docx/.docm) read and changed at the level of their zip parts.

One reader for every use: extraction (text, footers, properties), lint's footer rule, ``footer
fix`` and the templates of ``new``. :mod:`.package` opens and checks the zip, :mod:`.text`
reads what a part shows, :mod:`.footers` which footers show and whether they carry the name,
:mod:`.footer_add` adds the name where it is missing.
"""
from .footer_add import FooterChanges, plan_footer
from .footers import carries_name, footer_texts
from .package import Package, open_package, rewrite
from .text import main_document, paragraphs, shown_text

__all__ = ["FooterChanges", "Package", "carries_name", "footer_texts", "main_document",
           "open_package", "paragraphs", "plan_footer", "rewrite", "shown_text"]
