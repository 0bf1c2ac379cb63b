"""The docx templates of ``archive-tool new`` (package data; made by templates/make_templates.py).

The paragraphs of the 说明报告 template that staff are asked to delete are named here: the
requirement quoted as a hint (``材料要求：…``) and the body placeholder (``（在此撰写正文……完成后
删除本段提示……）``). They are not the report, so the extractor leaves them out of its character
count: an unedited report from the template is far too short, not complete.
"""

HINT_LABEL = "材料要求："
HINT_MARK = "完成后删除本段提示"


def is_template_hint(paragraph: str) -> bool:
    """True for a paragraph left over from the report template's hints."""
    text = paragraph.strip()
    return text.startswith(HINT_LABEL) or (
        HINT_MARK in text and text.startswith("（") and text.endswith("）"))
