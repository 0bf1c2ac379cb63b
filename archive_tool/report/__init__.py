"""Renderers: findings (lint) and gap reports (check) to text, json, markdown, html, xlsx.

Reports are models first (``lint.LintReport``, ``check`` gap report) and text second; nothing here
scans or opens evidence files.
"""
