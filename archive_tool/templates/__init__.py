"""The docx templates of ``archive-tool new`` (package data; made by templates/make_templates.py)."""
