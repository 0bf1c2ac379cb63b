"""Audio and video (mp4, mov, m4a, mp3, wav, amr …): recording date, duration and caption, read
from the container with MediaInfo (``pymediainfo``, whose wheel carries libmediainfo), never by
a parser of our own; captions are written into the tags with ``mutagen`` where the format takes
them without re-encoding (:func:`write_media_caption`).

Dates, first that answers: the QuickTime ``com.apple.quicktime.creationdate`` (an iPhone's local
time with its offset), the recording date (ID3 ``TDRC``, RIFF ``ICRD``), the container's
encoding / tagging date (an mp4's ``mvhd`` creation time, UTC). An mp4 whose creation time is 0
says 1904-01-01, the format's epoch: no date (:mod:`.dates`). The file's modification time is
never one. The caption is the title tag, else the comment, else the description; text that a
tool stored as UTF-8 bytes but MediaInfo shows as Latin-1 (RIFF INFO) is decoded again.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from .dates import placeholder

#: MediaInfo's General-track fields holding a date, in the order they are trusted
DATE_FIELDS = ("comapplequicktimecreationdate", "com_apple_quicktime_creationdate",
               "recorded_date", "encoded_date", "tagged_date", "mastered_date")
#: fields holding a caption, in the order they are read
CAPTION_FIELDS = ("title", "movie_name", "track_name", "comment", "description")
#: extensions whose tags ``caption set`` writes with mutagen (no re-encoding); others: sidecar
TAGGED_EXTS = frozenset({".mp4", ".m4a", ".mov", ".m4v", ".mp3"})

_DATE = re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
                   r"(?:[T ](?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?:\.\d+)?)?"
                   r"\s*(?P<tz>UTC|Z|[+-]\d{2}:?\d{2})?")
_CJK = re.compile("[\u3400-\u9fff]")


class MediaReadError(Exception):
    """A media file MediaInfo could not read (or no MediaInfo library at all)."""


@dataclass(frozen=True)
class MediaInfo:
    """What a scan keeps of an audio or video file."""

    #: the recording time (aware when the container says its offset; MP4 times are UTC)
    recorded: datetime | None = None
    #: the MediaInfo field it came from
    recorded_field: str = ""
    #: seconds
    duration: float | None = None
    caption: str = ""
    caption_field: str = ""
    format: str = ""


def parse_media_date(value: object) -> datetime | None:
    """``2024-03-04 17:30:00 UTC``, ``2024-03-05T10:00:00+0800``, ``2024-03-05`` -> datetime
    (aware when an offset or UTC is given); None for anything else and for epochs/defaults."""
    if not isinstance(value, str):
        return None
    match = _DATE.search(value)
    if not match:
        return None
    g = match.groupdict()
    try:
        found = datetime(int(g["y"]), int(g["m"]), int(g["d"]), int(g["H"] or 0),
                         int(g["M"] or 0), int(g["S"] or 0))
    except ValueError:
        return None
    tz = g["tz"]
    if tz in ("UTC", "Z"):
        found = found.replace(tzinfo=timezone.utc)
    elif tz:
        sign = -1 if tz[0] == "-" else 1
        digits = tz[1:].replace(":", "")
        found = found.replace(tzinfo=timezone(sign * timedelta(hours=int(digits[:2]),
                                                                 minutes=int(digits[2:]))))
    return None if placeholder(found) else found


def fix_mojibake(text: str) -> str:
    """UTF-8 (or GB18030) bytes shown as Latin-1 (``å\\xad¦é\\x9b·``) -> the Chinese text."""
    if _CJK.search(text):
        return text
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        return text
    for encoding in ("utf-8", "gb18030"):
        try:
            decoded = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _CJK.search(decoded):
            return decoded
    return text


def _general(path: Path) -> dict:
    try:
        from pymediainfo import MediaInfo as _MI
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise MediaReadError("pymediainfo 未安装") from exc
    try:
        parsed = _MI.parse(os.fspath(path))
    except Exception as exc:  # noqa: BLE001 - the library raises OSError, RuntimeError …
        raise MediaReadError(str(exc)) from exc
    tracks = parsed.general_tracks
    return tracks[0].to_data() if tracks else {}


def read_media(path: str | os.PathLike) -> MediaInfo:
    """Date, duration and caption of one audio or video file; MediaReadError when MediaInfo
    cannot read it or finds no stream at all (a damaged or mislabelled file)."""
    general = _general(Path(path))
    if not general or not (general.get("format") or general.get("duration")):
        raise MediaReadError("not a media file")
    recorded, field = None, ""
    for key in DATE_FIELDS:
        recorded = parse_media_date(general.get(key))
        if recorded is not None:
            field = key
            break
    duration = general.get("duration")
    try:
        seconds = float(duration) / 1000 if duration not in (None, "") else None
    except (TypeError, ValueError):
        seconds = None
    caption, caption_field = "", ""
    for key in CAPTION_FIELDS:
        value = general.get(key)
        if isinstance(value, str) and value.strip():
            caption, caption_field = fix_mojibake(value.strip()), key
            break
    return MediaInfo(recorded=recorded, recorded_field=field, duration=seconds,
                     caption=caption, caption_field=caption_field,
                     format=str(general.get("format") or ""))


def format_duration(seconds: float | None) -> str:
    """``75.4`` -> ``1分15秒``; ``3725`` -> ``1小时2分5秒``; None -> ''."""
    if seconds is None:
        return ""
    total = int(round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}小时{minutes}分{secs}秒"
    return f"{minutes}分{secs}秒" if minutes else f"{secs}秒"


# ---- writing the caption into the tags -----------------------------------------------------
def media_caption_bytes(data: bytes, ext: str, text: str) -> bytes:
    """The file's bytes with its title and comment tags set to ``text`` (mutagen rewrites only
    the tag atoms / the ID3 header: the audio and video data are copied as they are)."""
    import io

    import mutagen
    from mutagen.id3 import COMM, ID3, TIT2, ID3NoHeaderError
    from mutagen.mp4 import MP4

    buf = io.BytesIO(data)
    ext = ext.lower()
    try:
        if ext == ".mp3":
            try:
                tags = ID3(buf)
            except ID3NoHeaderError:
                tags = ID3()
            tags.setall("TIT2", [TIT2(encoding=3, text=[text])])
            tags.setall("COMM", [COMM(encoding=3, lang="chi", desc="", text=[text])])
            buf.seek(0)
            tags.save(buf, v2_version=3)
        else:
            tagged = MP4(buf)
            if tagged.tags is None:
                tagged.add_tags()
            tagged.tags["\xa9nam"] = [text]
            tagged.tags["\xa9cmt"] = [text]
            buf.seek(0)
            tagged.save(buf)
    except (mutagen.MutagenError, ValueError, KeyError, OSError) as exc:
        raise MediaReadError(str(exc)) from exc
    return buf.getvalue()



def read_tags(data: bytes, ext: str) -> str:
    """The title tag of an mp4/m4a/mov/mp3 in memory ('' when none); MediaReadError."""
    import io

    import mutagen
    from mutagen.id3 import ID3, ID3NoHeaderError
    from mutagen.mp4 import MP4

    try:
        if ext.lower() == ".mp3":
            try:
                frame = ID3(io.BytesIO(data)).get("TIT2")
            except ID3NoHeaderError:
                return ""
            return str(frame.text[0]) if frame else ""
        tags = MP4(io.BytesIO(data)).tags or {}
        return str(tags.get("\xa9nam", [""])[0])
    except (mutagen.MutagenError, ValueError, KeyError, OSError) as exc:
        raise MediaReadError(str(exc)) from exc
