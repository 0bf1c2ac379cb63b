"""The Django application of the web front end."""
from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "archive_tool.web"
    label = "archive_web"
    verbose_name = "文明单位创建档案"
    default_auto_field = "django.db.models.BigAutoField"
