"""PHOTO_REUSED on real JPEGs: the same photo resized, recompressed or given a caption band,
filed in another indicator or another year, is found; two different photos are not; an exact
copy is reported the same way. PHOTO_TOO_SMALL for a photo under 800 px."""
from __future__ import annotations

import shutil

from PIL import Image, ImageDraw

from archive_tool.lint import lint
from archive_tool.scan import scan

from ..conftest import new_archive

from .scan_fixtures import TREE, leaf, make_archive, scene, scene_jpeg
from .scan_pages import font


def reused(root):
    report = lint(scan(root), ["PHOTO_REUSED"])
    return {f.path.rsplit("/", 1)[-1]: f.message for f in report.findings}


def test_resized_recompressed_and_banded_copies_are_found_and_a_different_photo_is_not(tmp_path):
    root = make_archive(tmp_path)
    study, volunteer = leaf(root, "II-1"), leaf(root, "II-2")
    original = scene_jpeg(study / "01：植树活动.jpg", seed=11, size=(2400, 1800))
    with Image.open(original) as img:
        img.resize((1200, 900)).save(volunteer / "01：缩小.jpg", quality=85)
        img.save(volunteer / "02：重新压缩.jpg", quality=25)
        banded = Image.new("RGB", (2400, 2100), "white")
        banded.paste(img, (0, 0))
        ImageDraw.Draw(banded).text((60, 1880), "2018年3月12日 植树活动", fill="black",
                                    font=font(120))
        banded.save(volunteer / "03：加说明条.jpg", quality=85)
    scene_jpeg(volunteer / "04：另一张.jpg", seed=12, size=(2400, 1800))
    shutil.copyfile(original, volunteer / "05：原样复制.jpg")
    found = reused(root)
    assert set(found) == {"01：植树活动.jpg", "01：缩小.jpg", "02：重新压缩.jpg", "03：加说明条.jpg",
                          "05：原样复制.jpg"}
    assert "II-1/01：植树活动.jpg" in found["03：加说明条.jpg"]
    assert "II-1/01：植树活动.jpg（内容完全相同）" in found["05：原样复制.jpg"]
    assert "内容完全相同" not in found["01：缩小.jpg"]


def test_a_photo_filed_again_in_another_year_is_found(tmp_path):
    top = tmp_path / "档案"
    for year in ("2017年", "2018年"):
        new_archive(top, TREE, name=year)
    (top / ".archive").mkdir()
    (top / ".archive" / "config.yaml").write_text("years: [2017年, 2018年]\n", encoding="utf-8")
    old = scene_jpeg(leaf(top / "2017年", "II-2") / "03：志愿服务.jpg", seed=21)
    scan(top / "2017年")  # the other year as its cache last saw it
    with Image.open(old) as img:
        img.resize((1200, 900)).save(leaf(top / "2018年", "II-1") / "01：学习.jpg", quality=80)
    scene_jpeg(leaf(top / "2018年", "II-1") / "02：新照片.jpg", seed=22)
    found = reused(top / "2018年")
    assert found == {"01：学习.jpg": "与 II-2/03：志愿服务.jpg（2017年）为同一张照片"}


def test_a_file_checked_alone_is_compared_with_the_rest_of_the_archive(tmp_path):
    root = make_archive(tmp_path)
    scene_jpeg(leaf(root, "II-1") / "01：a.jpg", seed=31)
    scan(root)
    scene(31, (1000, 750)).save(leaf(root, "II-2") / "02：b.jpg", quality=70)
    report = lint(scan(leaf(root, "II-2") / "02：b.jpg"), ["PHOTO_REUSED"])
    assert [f.path.rsplit("/", 1)[-1] for f in report.findings] == ["02：b.jpg"]


def test_a_photo_under_800_pixels_is_a_warning(tmp_path):
    root = make_archive(tmp_path)
    scene_jpeg(leaf(root, "II-1") / "01：小.jpg", seed=41, size=(640, 480))
    scene_jpeg(leaf(root, "II-1") / "02：够大.jpg", seed=42, size=(800, 600))
    report = lint(scan(root), ["PHOTO_TOO_SMALL"])
    assert [(f.path.rsplit("/", 1)[-1], f.severity) for f in report.findings] == [
        ("01：小.jpg", "warning")]
    assert "640×480" in report.findings[0].message


def _camera_jpeg(path, img, thumbnail, orientation: int = 1):
    """``img`` saved as a camera saves it: EXIF with an orientation and a JPEG thumbnail in
    IFD1 (a little-endian TIFF block written here: Pillow does not write IFD1)."""
    import io
    import struct

    buf = io.BytesIO()
    thumbnail.save(buf, "JPEG", quality=75)
    thumb = buf.getvalue()
    ifd1_at = 8 + 2 + 12 + 4
    data_at = ifd1_at + 2 + 2 * 12 + 4
    tiff = (b"II*\x00" + struct.pack("<I", 8)
            + struct.pack("<H", 1) + struct.pack("<HHIHH", 0x0112, 3, 1, orientation, 0)
            + struct.pack("<I", ifd1_at)
            + struct.pack("<H", 2) + struct.pack("<HHII", 0x0201, 4, 1, data_at)
            + struct.pack("<HHII", 0x0202, 4, 1, len(thumb)) + struct.pack("<I", 0) + thumb)
    img.save(path, "JPEG", quality=90, exif=b"Exif\x00\x00" + tiff)
    return path


def test_a_camera_photo_is_hashed_from_its_thumbnail_only_when_it_shows_the_whole_photo(tmp_path):
    from archive_tool.extract import image_facts as facts_module
    from archive_tool.extract.image_facts import hamming, image_facts

    root = make_archive(tmp_path)
    study, volunteer = leaf(root, "II-1"), leaf(root, "II-2")
    shot = scene(31, (1600, 1200))
    original = _camera_jpeg(study / "01：走访.jpg", shot, shot.resize((160, 120)))
    shot.resize((1200, 900)).save(volunteer / "01：缩小.jpg", quality=80)   # no EXIF: decoded
    other = scene(32, (1600, 1200))
    # a thumbnail of another shape (the photo cropped after the camera made it) is not used
    cropped = _camera_jpeg(volunteer / "02：裁剪.jpg", other, scene(33).resize((160, 90)))
    with_thumb = image_facts(original)
    assert hamming(with_thumb["phash"], image_facts(original, thumbnails=False)["phash"]) <= 4
    assert image_facts(cropped) == image_facts(cropped, thumbnails=False)
    with Image.open(original) as img, Image.open(cropped) as bad:
        assert facts_module._exif_thumbnail(img).size == (160, 120)
        assert facts_module._exif_thumbnail(bad) is None
    assert set(reused(root)) == {"01：走访.jpg", "01：缩小.jpg"}


def _many_photos(folder, count: int) -> list:
    return [scene_jpeg(folder / f"{i + 1:02d}：活动{i}.jpg", seed=100 + i, size=(400, 300))
            for i in range(count)]


def _watching_pools(monkeypatch) -> list:
    """The worker pools :mod:`archive_tool.photo_hashes` starts (real ones), noted."""
    from archive_tool import photo_hashes

    started = []
    real_start = photo_hashes._start

    def start(beside=0):
        pool = real_start(beside)
        started.append(pool)
        pool.beside = beside
        return pool

    monkeypatch.setattr(photo_hashes, "_start", start)
    return started


def test_a_scan_leaves_photos_to_hash_and_the_first_lint_hashes_each_once(tmp_path, monkeypatch):
    from archive_tool import photo_hashes
    from archive_tool.store import Store

    root = make_archive(tmp_path)
    photos = _many_photos(leaf(root, "II-1"), photo_hashes.POOL_FROM)
    with Image.open(photos[5]) as img:
        img.resize((300, 225)).save(leaf(root, "II-2") / "01：缩小.jpg", quality=70)
    shutil.copyfile(photos[7], leaf(root, "II-2") / "02：原样.jpg")  # one content, hashed once
    pools = _watching_pools(monkeypatch)
    result = scan(root)
    assert pools == []  # the scan hashes nothing
    assert {ev.phash for ev in result.evidence} == {None}
    assert all(ev.pixels == (400, 300) for ev in result.evidence[:-2])  # read with the file
    with Store(root / ".archive") as store:
        assert len(store.unhashed()) == photo_hashes.POOL_FROM + 2
    seen = []
    report = lint(result, ["PHOTO_REUSED"], progress=lambda done, total, path: seen.append(
        (done, total)))
    assert [type(pool).__name__ for pool in pools] == ["ProcessPoolExecutor"]
    assert seen[-1] == (photo_hashes.POOL_FROM + 1, photo_hashes.POOL_FROM + 1)
    assert {f.path.rsplit("/", 1)[-1] for f in report.findings} == {
        "06：活动5.jpg", "01：缩小.jpg", "08：活动7.jpg", "02：原样.jpg"}
    assert all(ev.phash for ev in result.evidence)
    again = scan(root)  # the records and rows now hold the hashes
    assert again.stats.read == 0
    assert [ev.phash for ev in again.evidence] == [ev.phash for ev in result.evidence]
    with Store(root / ".archive") as store:
        assert store.unhashed() == []
    assert photo_hashes.settle(again) == 0


def test_a_worker_that_dies_leaves_its_photos_to_the_caller(tmp_path, monkeypatch):
    import os
    import signal

    from archive_tool import photo_hashes

    root = make_archive(tmp_path)
    photos = _many_photos(leaf(root, "II-1"), photo_hashes.POOL_FROM)
    pools = _watching_pools(monkeypatch)

    def kill_after_the_first_task(done, total, path):
        if done == photo_hashes.BATCH:  # the workers killed with tasks still to do
            for pid in list(pools[0]._processes):
                os.kill(pid, signal.SIGKILL)

    facts = photo_hashes.hash_photos(photos, kill_after_the_first_task)
    assert len(facts) == len(photos)
    assert all(found.get("phash") and found["pixels"] == [400, 300] for found in facts)


def test_a_photo_changed_since_its_scan_keeps_the_hashes_of_its_new_content(tmp_path):
    from archive_tool import photo_hashes
    from archive_tool.store import Store

    root = make_archive(tmp_path)
    photo = scene_jpeg(leaf(root, "II-1") / "01：活动.jpg", seed=51)
    before = scan(root)
    with Image.open(photo) as img:  # replaced before the first scan's photos were hashed
        img.transpose(Image.Transpose.FLIP_TOP_BOTTOM).save(photo, quality=90)
    after = scan(root)
    assert photo_hashes.settle(before) == 0  # the file holds another content now
    with Store(root / ".archive") as store:
        assert [row[:2] for row in store.unhashed()] == [(after.evidence[0].path,
                                                          after.evidence[0].content_hash)]
    assert before.evidence[0].phash is None  # its content is gone: never hashed
    photo_hashes.settle(after)
    assert scan(root).evidence[0].phash == after.evidence[0].phash != before.evidence[0].phash


def test_a_lint_hashes_the_photos_while_its_scan_reads_them(tmp_path, monkeypatch):
    from archive_tool import Archive, photo_hashes

    root = make_archive(tmp_path)
    photos = _many_photos(leaf(root, "II-1"), photo_hashes.POOL_FROM + photo_hashes.BATCH)
    with Image.open(photos[5]) as img:
        img.resize((300, 225)).save(leaf(root, "II-2") / "01：缩小.jpg", quality=70)
    pools = _watching_pools(monkeypatch)
    report = Archive.open(root).lint(rules=["PHOTO_REUSED"])
    assert [pool.beside for pool in pools] == [1]  # one pool, beside the reading scan
    assert {f.path.rsplit("/", 1)[-1] for f in report.findings} == {"06：活动5.jpg", "01：缩小.jpg"}
    assert all(ev.phash for ev in report.result.evidence)
    assert all(ev.phash for ev in scan(root).evidence)


def test_a_photo_moved_is_not_hashed_again(tmp_path):
    from archive_tool import photo_hashes

    root = make_archive(tmp_path)
    photos = _many_photos(leaf(root, "II-1"), photo_hashes.POOL_FROM)
    lint(scan(root), ["PHOTO_REUSED"])
    for photo in photos:
        photo.rename(leaf(root, "II-2") / photo.name)
    with photo_hashes.Ahead(root / ".archive") as ahead:
        result = scan(root, ahead=ahead)
        assert result.stats.read == len(photos)
        assert ahead.facts() == {}  # known contents: none given out
        assert photo_hashes.settle(result, ahead=ahead) == 0
    assert all(ev.phash for ev in result.evidence)
