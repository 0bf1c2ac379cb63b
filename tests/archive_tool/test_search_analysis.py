"""The Chinese analysis of the search index: folding, tiles and positions, bigrams, dictionary."""
from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from whoosh.fields import TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.query import Phrase, Term

from archive_tool.search import analysis
from archive_tool.search.analysis import (ANALYZER_VERSION, BigramTokenizer, WordTokenizer,
                                          bigram_tokens, fold, fold_with_offsets, word_tokens)
from archive_tool.search.schema import make_schema


def texts(tokens):
    return [t for t, *_ in tokens]


# ---- folding --------------------------------------------------------------------------------
def test_fold_traditional_to_simplified():
    assert fold("領導小組") == "领导小组"
    assert fold("張曉明") == "张晓明"
    assert fold("六五環境日") == "六五环境日"


def test_fold_full_width_and_case():
    assert fold("ＡＢＣ１２３：Ｘ") == "abc123:x"
    assert fold("ＰＤＦ报告") == "pdf报告"


def test_fold_keeps_a_map_when_the_length_changes():
    text = "㈱领导小组"  # NFKC turns ㈱ into three characters "(株)"
    folded, offsets = fold_with_offsets(text)
    assert folded == "(株)领导小组"
    assert offsets is not None and len(offsets) == len(folded) + 1
    start = folded.index("领导")
    assert text[offsets[start]:offsets[start + 2]] == "领导"


# ---- word tokens ----------------------------------------------------------------------------
def test_tiles_take_consecutive_positions_and_shingles_sit_on_their_first_tile():
    tokens = list(word_tokens("成立創建工作領導小組，成員如下"))
    tiles = [(t, p) for t, p, *_ in tokens if t in analysis.tiles(t) and len(t) <= 2]
    assert tiles == [("成立", 0), ("创建", 1), ("工作", 2), ("领导", 3), ("小组", 4),
                     ("成员", 5), ("如下", 6)]
    grams = {t: p for t, p, *_ in tokens if len(t) > 2}
    assert grams == {"成立创建": 0, "创建工作": 1, "工作领导": 2, "领导小组": 3, "小组成员": 4,
                     "成员如下": 5}


def test_positions_never_go_backwards():
    tokens = list(word_tokens("新时代文明实践站开展学雷锋志愿服务活动，中华人民共和国成立"))
    positions = [p for _, p, *_ in tokens]
    assert positions == sorted(positions)


def test_offsets_point_into_the_original_text():
    text = "會議由張曉明主持"
    for token, _, start, end in word_tokens(text):
        assert fold(text[start:end]) == token


def test_query_side_emits_tiles_only():
    assert texts(word_tokens("创建工作领导小组", query=True)) == ["创建", "工作", "领导", "小组"]
    assert "领导小组" in texts(word_tokens("创建工作领导小组"))


def test_unknown_names_are_cut_to_characters_on_both_sides():
    assert texts(word_tokens("撰稿：张晓明", query=True)) == ["撰稿", "张", "晓", "明"]
    assert texts(word_tokens("晓明", query=True)) == ["晓", "明"]


def test_index_side_adds_shingles_of_consecutive_tiles():
    tokens = [(t, p) for t, p, *_ in word_tokens("撰稿：张晓明")]
    assert tokens == [("撰稿", 0), ("撰稿张", 0), ("张", 1), ("张晓", 1), ("晓", 2), ("晓明", 2),
                      ("明", 3)]
    # a two-tile word is its own shingle: emitted once
    assert [t for t, *_ in word_tokens("领导小组")].count("领导小组") == 1
    assert analysis.shingles(["六五", "环境", "日"]) == ["六五环境", "环境日"]
    assert analysis.shingles(["晓"]) == ["晓"]


def test_query_words_keep_an_unknown_name_whole():
    assert "张晓明" in analysis.query_words("张晓明同志")


def _phrase_hits(text: str, query: str) -> bool:
    schema = Schema(body=TEXT(analyzer=WordTokenizer(), phrase=True))
    ix = RamStorage().create_index(schema)
    with ix.writer() as w:
        w.add_document(body=text)
    words = texts(word_tokens(query, query=True))
    q = Term("body", words[0]) if len(words) == 1 else Phrase("body", words)
    grams = analysis.shingles(words)
    q2 = Term("body", grams[0]) if len(grams) == 1 else Phrase("body", grams)
    with ix.searcher() as s:
        found = len(s.search(q)) == 1
        assert found is (len(s.search(q2)) == 1)  # the same phrase over shingles
        return found


@pytest.mark.parametrize("query", ["领导小组", "领导小组成员", "工作领导小组", "小组成员",
                                   "创建工作领导", "成立创建工作领导小组"])
def test_phrases_match_across_word_boundaries(query):
    assert _phrase_hits("经研究，决定成立创建工作领导小组，成员如下。", query)


def test_phrase_inside_a_dictionary_word():
    # 六五环境日 is one dictionary word; its tiles still make every inner phrase findable
    assert _phrase_hits("去年六五环境日的照片", "环境日")
    assert _phrase_hits("去年六五环境日的照片", "六五环境日的照片")
    assert not _phrase_hits("去年六五环境日的照片", "环境日照片")


def test_phrase_with_traditional_query_and_full_width_digits():
    assert _phrase_hits("２０１９年度领导小组会议", "2019年度領導小組")


# ---- bigrams --------------------------------------------------------------------------------
def test_bigrams_index_side():
    assert list(bigram_tokens("张晓明")) == [("张", 0, 0, 1), ("张晓", 0, 0, 2), ("晓", 1, 1, 2),
                                            ("晓明", 1, 1, 3), ("明", 2, 2, 3)]


def test_bigrams_query_side():
    assert texts(bigram_tokens("晓明", query=True)) == ["晓明"]
    assert texts(bigram_tokens("明", query=True)) == ["明"]
    # a run followed by another word ends on its last character, so positions line up
    assert [(t, p) for t, p, *_ in bigram_tokens("小组2019", query=True)] == [
        ("小组", 0), ("组", 1), ("2019", 2)]


def _bigram_phrase_hits(text: str, query: str) -> bool:
    schema = Schema(name=TEXT(analyzer=BigramTokenizer(), phrase=True))
    ix = RamStorage().create_index(schema)
    with ix.writer() as w:
        w.add_document(name=text)
    words = texts(bigram_tokens(query, query=True))
    q = Term("name", words[0]) if len(words) == 1 else Phrase("name", words)
    with ix.searcher() as s:
        return len(s.search(q)) == 1


@pytest.mark.parametrize("query,found", [("晓明", True), ("张晓明", True), ("張曉明", True),
                                         ("晓", True), ("明张", False), ("环保局", True),
                                         ("市环保", True), ("局2019", True), ("环局", False)])
def test_part_of_a_name(query, found):
    assert _bigram_phrase_hits("张晓明 市环保局2019", query) is found


# ---- dictionary, pickling, quiet --------------------------------------------------------------
def test_domain_terms_are_in_the_dictionary():
    words = analysis.query_words("新时代文明实践站开展学雷锋活动评选身边好人")
    assert {"新时代文明实践站", "学雷锋", "身边好人"} <= set(words)


def test_tree_names_are_fed_to_the_dictionary():
    assert "曲丽娟宣讲团" not in analysis.query_words("邀请曲丽娟宣讲团授课")
    analysis.prepare(None, ["曲丽娟宣讲团（牵头）、综合科"])
    assert "曲丽娟宣讲团" in analysis.query_words("邀请曲丽娟宣讲团授课")
    assert "综合科" in analysis.SEGMENTER.words


def test_names_are_cut_at_punctuation():
    assert analysis.names_of(["宣传部、团委", "办公室和工会"]) == [
        "宣传部、团委", "宣传部", "团委", "办公室和工会", "办公室", "工会"]


def test_schema_pickles_without_the_segmenter():
    analysis.SEGMENTER.jieba  # make sure it exists
    data = pickle.dumps(make_schema())
    assert b"jieba" not in data and len(data) < 20000
    schema = pickle.loads(data)
    assert schema["content"].analyzer.version.startswith(ANALYZER_VERSION)
    assert [t.text for t in schema["content"].analyzer("領導小組", mode="query")] == ["领导", "小组"]


def test_segmenter_is_quiet_and_caches_under_the_archive(tmp_path):
    archive = tmp_path / ".archive"
    archive.mkdir()
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    code = ("from pathlib import Path; from archive_tool.search import analysis; "
            f"analysis.prepare(Path({str(archive)!r}), ['张晓明']); "
            "print(len(list(analysis.word_tokens('去年六五环境日的照片'))))")
    env = dict(os.environ, TMPDIR=str(tmp), TEMP=str(tmp), TMP=str(tmp))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "11"
    assert done.stderr == ""
    assert (archive / "jieba.cache").is_file()
    assert list(tmp.iterdir()) == []


def test_the_dictionary_leaves_out_jiebas_rare_words_and_keeps_the_campaigns():
    """Memory: jieba's words seen fewer than MIN_FREQ times are not words of the segmenter
    (at most a prefix of one); common words, domain terms and the tree's names are."""
    import jieba

    from archive_tool.search import segmenter

    tk = segmenter.SEGMENTER.jieba
    counts = {}
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as fh:
        for line in fh:
            word, count = line.split(" ", 2)[:2]
            counts[word] = int(count)
    added = segmenter.SEGMENTER.words  # domain terms and names: words whatever jieba says
    rare = [w for w, c in counts.items() if c < segmenter.MIN_FREQ and w not in added]
    common = [w for w, c in counts.items() if c >= 1000]
    assert len(rare) > 100_000 and all(not tk.FREQ.get(w) for w in rare)
    assert all(tk.FREQ.get(w) for w in common)
    assert all(tk.FREQ.get(w) for w in segmenter.DOMAIN_TERMS)
    assert len(tk.FREQ) < 250_000  # the full dictionary has about 500,000 entries


def test_tokenizer_equality_is_by_version():
    assert WordTokenizer() == WordTokenizer()
    assert WordTokenizer("x") != WordTokenizer("y")
    assert Path(analysis.__file__).name == "analysis.py"


def _segment_in_subprocess(archive: Path, tmp: Path, umask: int = 0o022):
    code = ("from pathlib import Path; from archive_tool.search import analysis; "
            f"analysis.prepare(Path({str(archive)!r}), ['张晓明']); "
            "print(len(list(analysis.word_tokens('去年六五环境日的照片'))))")
    env = dict(os.environ, TMPDIR=str(tmp), TEMP=str(tmp), TMP=str(tmp))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          cwd=archive.parent, preexec_fn=lambda: os.umask(umask))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "11"
    assert done.stderr == ""
    return done


@pytest.fixture
def dot_archive(tmp_path):
    archive = tmp_path / ".archive"
    archive.mkdir()
    (tmp_path / "tmp").mkdir()
    return archive


def test_cache_that_cannot_be_written_is_skipped_quietly(dot_archive):
    (dot_archive / "jieba.cache").mkdir()                   # in the way: a folder
    _segment_in_subprocess(dot_archive, dot_archive.parent / "tmp")
    assert sorted(p.name for p in dot_archive.iterdir()) == ["jieba.cache"]
    assert (dot_archive / "jieba.cache").is_dir()
    assert list((dot_archive.parent / "tmp").iterdir()) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_read_only_archive_folder_is_left_alone(dot_archive):
    dot_archive.chmod(0o555)
    try:
        _segment_in_subprocess(dot_archive, dot_archive.parent / "tmp")
        assert list(dot_archive.iterdir()) == []
    finally:
        dot_archive.chmod(0o755)


def test_cache_mode_follows_the_umask_and_old_caches_are_replaced(dot_archive):
    import marshal

    cache = dot_archive / "jieba.cache"
    cache.write_bytes(marshal.dumps(({"旧": 1}, 1.0)))       # jieba's own format: not trusted
    _segment_in_subprocess(dot_archive, dot_archive.parent / "tmp", umask=0o022)
    assert cache.stat().st_mode & 0o777 == 0o644
    assert cache.stat().st_size > 1_000_000
    assert sorted(p.name for p in dot_archive.iterdir()) == ["jieba.cache"]
    before = cache.stat().st_mtime_ns
    _segment_in_subprocess(dot_archive, dot_archive.parent / "tmp")   # read, not written again
    assert cache.stat().st_mtime_ns == before


def test_temporary_files_jieba_left_behind_are_removed(dot_archive):
    import marshal

    stale = dot_archive / "tmpab12cd_9"
    stale.write_bytes(marshal.dumps(({"领导": 3}, 3.0)))
    other = dot_archive / "tmpzz99zz99"
    other.write_bytes(b"not a dictionary")
    for path in (stale, other):
        os.utime(path, (1_000_000_000, 1_000_000_000))
    _segment_in_subprocess(dot_archive, dot_archive.parent / "tmp")
    assert not stale.exists() and other.exists()


def test_letters_and_digits_of_a_mixed_word_are_tokens_too():
    tokens = [(t, p) for t, p, *_ in word_tokens("通过ＩＳＯ９００１认证")]
    assert {("iso9001", 1), ("iso", 1), ("9001", 1)} <= set(tokens)
    assert [t for t, *_ in word_tokens("ISO9001认证", query=True)] == ["iso9001", "认证"]
    assert {(t, p) for t, p, *_ in bigram_tokens("ＡＢＣ１２３报告")} >= {
        ("abc123", 0), ("abc", 0), ("123", 0), ("报告", 1)}
    for token, _, start, end in word_tokens("编号ＡＢＣ１２３"):
        assert fold("编号ＡＢＣ１２３"[start:end]) == token
    assert analysis.mixed_parts("2019") == [] and analysis.mixed_parts("abc") == []
