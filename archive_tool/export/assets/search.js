/* archive-tool: offline search of the exported site (no server, no network).
 * The index is window.ARCHIVE_SEARCH_INDEX (assets/search-index.js), built by
 * archive_tool/export/site_index.py: tokens() here must cut text exactly as tokens() there. */
(function (root) {
  "use strict";
  var RUNS = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9a-z]+/g;

  /* NFKC, lower case, and traditional characters to simplified ones by the index's table
   * (index.t2s: only the characters its documents hold), as site_index.py folds them. */
  function fold(text, index) {
    var folded = String(text || "").normalize("NFKC").toLowerCase();
    var table = (index && index.t2s) || null;
    if (!table) return folded;
    return Array.from(folded).map(function (ch) { return table[ch] || ch; }).join("");
  }

  function tokens(text, index) {
    var out = [], runs = fold(text, index).match(RUNS) || [];
    runs.forEach(function (run) {
      if (/^[0-9a-z]/.test(run) || run.length === 1) { out.push(run); return; }
      var chars = Array.from(run);
      for (var i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
    });
    return out;
  }

  /* A document's folded text, spaces removed; folded once per document and kept (folding
   * goes character by character through the t2s table). */
  function haystack(doc, index) {
    if (doc._hay === undefined) {
      var text = [doc.t, doc.i, doc.y, doc.d, doc.k, doc.c].join(" ");
      Object.defineProperty(doc, "_hay", {value: fold(text, index).replace(/\s+/g, "")});
    }
    return doc._hay;
  }

  /* Documents ranked by the share of the query's tokens they hold (at least half; all of them
   * for a query of one or two tokens); a document holding the whole query (spaces ignored)
   * first; then the newest. A query of one Chinese character is looked for as it is. */
  function search(index, query, limit) {
    var wanted = Array.from(new Set(tokens(query, index)));
    var whole = fold(query, index).replace(/\s+/g, "");
    if (!wanted.length || !whole) return [];
    var hits = {};
    wanted.forEach(function (token) {
      var ids = index.tokens[token] || [];
      if (token.length === 1 && !/^[0-9a-z]$/.test(token)) {
        ids = [];
        index.docs.forEach(function (doc, n) {
          if (haystack(doc, index).indexOf(token) >= 0) ids.push(n);
        });
      }
      ids.forEach(function (n) { hits[n] = (hits[n] || 0) + 1; });
    });
    var need = wanted.length <= 2 ? wanted.length : Math.ceil(wanted.length / 2);
    var found = [];
    Object.keys(hits).forEach(function (key) {
      var n = Number(key), doc = index.docs[n];
      if (hits[n] < need) return;
      var exact = haystack(doc, index).indexOf(whole) >= 0 ? 1 : 0;
      found.push({doc: doc, score: exact + hits[n] / wanted.length});
    });
    found.sort(function (a, b) {
      return b.score - a.score || String(b.doc.d).localeCompare(String(a.doc.d));
    });
    return found.slice(0, limit || 50).map(function (hit) { return hit.doc; });
  }

  var SHOWN = 50;

  function render(box, results, base) {
    box.textContent = "";
    if (!results.length) { box.textContent = "没有找到。"; return; }
    var count = document.createElement("li");
    count.className = "meta";
    count.textContent = "找到 " + results.length + " 个文件" +
      (results.length > SHOWN ? "，显示最相关的 " + SHOWN + " 个（再加一个词可以缩小范围）" : "") + "：";
    box.appendChild(count);
    results.slice(0, SHOWN).forEach(function (doc) {
      var item = document.createElement("li"), link = document.createElement("a");
      link.href = base + doc.h;
      link.textContent = doc.t;
      item.appendChild(link);
      var where = document.createElement("a");
      where.href = base + doc.p;
      where.className = "where";
      where.textContent = [doc.y, doc.i].filter(Boolean).join(" ");
      item.appendChild(document.createTextNode(" "));
      item.appendChild(where);
      var meta = document.createElement("div");
      meta.className = "meta";
      meta.textContent = [doc.d, doc.k, doc.c].filter(Boolean).join(" · ");
      item.appendChild(meta);
      box.appendChild(item);
    });
  }

  function wire() {
    var input = document.getElementById("search-box"), box = document.getElementById("search-results");
    if (!input || !box || !root.ARCHIVE_SEARCH_INDEX) return;
    var base = document.body.getAttribute("data-root") || "";
    input.addEventListener("input", function () {
      var query = input.value.trim();
      if (!query) { box.textContent = ""; return; }
      render(box, search(root.ARCHIVE_SEARCH_INDEX, query, Infinity), base);
    });
  }

  root.ArchiveSearch = {tokens: tokens, search: search, fold: fold};
  if (typeof module !== "undefined" && module.exports) module.exports = root.ArchiveSearch;
  if (typeof document !== "undefined") document.addEventListener("DOMContentLoaded", wire);
})(typeof window !== "undefined" ? window : this);
