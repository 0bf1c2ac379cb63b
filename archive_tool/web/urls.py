"""The site's addresses (ASCII; a file is named by its archive path in ``?p=``)."""
from pathlib import Path

from django.urls import path, re_path
from django.views.static import serve

from . import views_accounts as accounts, views_files as files, views_pages as pages

STATIC = Path(__file__).resolve().parent / "static"

urlpatterns = [
    path("", pages.home, name="home"),
    path("login/", accounts.login_view, name="login"),
    path("logout/", accounts.logout_view, name="logout"),
    path("tasks/", pages.tasks, name="tasks"),
    path("overview/", pages.overview, name="overview"),
    path("overview/gap.xlsx", pages.gap_xlsx, name="gap_xlsx"),
    path("overview/gap.html", pages.gap_html, name="gap_html"),
    path("indicators/<str:indicator_id>/", pages.indicator, name="indicator"),
    path("indicators/<str:indicator_id>/upload/", files.upload, name="upload"),
    path("file/", files.file_page, name="file"),
    path("file/raw/", files.file_raw, name="file_raw"),
    path("file/thumb/", files.file_thumb, name="file_thumb"),
    path("file/caption/", files.set_caption, name="file_caption"),
    path("file/footer/", files.add_footer, name="file_footer"),
    path("file/rename/", files.rename, name="file_rename"),
    path("file/review/", files.review, name="file_review"),
    path("search/", pages.search, name="search"),
    path("log/", pages.activity_log, name="log"),
    path("log.csv", pages.activity_csv, name="log_csv"),
    path("accounts/", accounts.accounts_page, name="accounts"),
    path("refresh/", pages.refresh, name="refresh"),
    re_path(r"^static/(?P<path>.+)$", serve, {"document_root": STATIC}, name="static"),
]
