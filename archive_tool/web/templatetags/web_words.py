"""Template filters of the pages: ``{{ finding|fix_words }}`` (:func:`archive_tool.web.wording.web_fix`)."""
from django import template

from archive_tool.web.wording import web_fix

register = template.Library()


@register.filter
def fix_words(item) -> str:
    """The fix of a Finding or NotCounted, as the browser's user does it."""
    return web_fix(item.rule, item.fix or "")
