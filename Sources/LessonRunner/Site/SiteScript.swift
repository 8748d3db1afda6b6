/// `assets/lessonbook.js`: copy buttons on code cells, and the search box over
/// `window.LB_SEARCH`. Everything it builds is text (`textContent`), never parsed HTML.
enum SiteScript {
    static let source = #"""
(function () {
  "use strict";
  function copyText(text) {
    if (navigator.clipboard && navigator.clipboard.writeText) { return navigator.clipboard.writeText(text); }
    var area = document.createElement("textarea");
    area.value = text; document.body.appendChild(area); area.select();
    try { document.execCommand("copy"); } catch (e) {}
    area.remove();
    return Promise.resolve();
  }
  document.querySelectorAll(".lb-cell-code").forEach(function (box) {
    var code = box.querySelector("pre code");
    if (!code) { return; }
    var button = document.createElement("button");
    button.type = "button"; button.className = "lb-copy"; button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy this code");
    button.addEventListener("click", function () {
      copyText(code.textContent).then(function () { button.textContent = "Copied"; },
                                      function () { button.textContent = "Select and copy"; });
      setTimeout(function () { button.textContent = "Copy"; }, 1600);
    });
    box.appendChild(button);
  });

  // Shape tables: a row with nested rows gets a fold button; long tables start folded to
  // their top-level blocks.
  document.querySelectorAll("table.lb-tree").forEach(function (table) {
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-depth]"));
    function depth(row) { return parseInt(row.getAttribute("data-depth"), 10); }
    function setOpen(index, open) {
      var row = rows[index], button = row.querySelector(".lb-tree-toggle");
      button.setAttribute("aria-expanded", open ? "true" : "false");
      button.textContent = open ? "▾" : "▸";
      for (var j = index + 1; j < rows.length && depth(rows[j]) > depth(row); j++) {
        rows[j].hidden = !open;
        var inner = rows[j].querySelector(".lb-tree-toggle");
        if (open && inner && inner.getAttribute("aria-expanded") === "false") {
          var d = depth(rows[j]);
          while (j + 1 < rows.length && depth(rows[j + 1]) > d) { j++; }
        }
      }
    }
    rows.forEach(function (row, i) {
      if (i + 1 >= rows.length || depth(rows[i + 1]) <= depth(row) || depth(row) === 0) { return; }
      var button = document.createElement("button");
      button.type = "button"; button.className = "lb-tree-toggle";
      button.setAttribute("aria-label", "Show or hide the layers inside");
      button.addEventListener("click", function () { setOpen(i, button.getAttribute("aria-expanded") !== "true"); });
      row.cells[0].insertBefore(button, row.cells[0].firstChild);
      button.setAttribute("aria-expanded", "true"); button.textContent = "▾";
    });
    if (rows.length > 30) {
      rows.forEach(function (row, i) { if (depth(row) === 1 && row.querySelector(".lb-tree-toggle")) { setOpen(i, false); } });
    }
  });

  var box = document.querySelector(".lb-search");
  var index = window.LB_SEARCH;
  if (!box || !index) { return; }
  box.hidden = false;
  var input = box.querySelector("input"), list = box.querySelector("ol");
  function words(query) {
    return query.toLowerCase().split(/[^\p{L}\p{N}_]+/u).filter(function (w) { return w.length > 0; });
  }
  function count(text, word) {
    var n = 0, i = text.indexOf(word);
    while (i >= 0 && n < 50) { n += 1; i = text.indexOf(word, i + word.length); }
    return n;
  }
  function search(query) {
    var terms = words(query), hits = [];
    if (!terms.length) { return hits; }
    index.forEach(function (s) {
      var text = s.t.toLowerCase(), head = (s.l + " " + s.h).toLowerCase(), score = 0;
      for (var i = 0; i < terms.length; i++) {
        var n = count(text, terms[i]) + 5 * count(head, terms[i]);
        if (!n) { return; }
        score += n;
      }
      hits.push({ section: s, score: score });
    });
    hits.sort(function (a, b) { return b.score - a.score; });
    return hits.slice(0, 12);
  }
  function snippet(text, word) {
    var at = Math.max(0, text.toLowerCase().indexOf(word) - 50);
    return (at > 0 ? "…" : "") + text.slice(at, at + 150) + (at + 150 < text.length ? "…" : "");
  }
  function show() {
    var query = input.value;
    list.textContent = "";
    if (!query.trim()) { list.hidden = true; return; }
    list.hidden = false;
    var hits = search(query);
    if (!hits.length) {
      var none = document.createElement("li");
      none.className = "lb-search-none"; none.textContent = "Nothing found";
      list.appendChild(none);
      return;
    }
    hits.forEach(function (hit) {
      var item = document.createElement("li"), link = document.createElement("a");
      var where = document.createElement("strong"), text = document.createElement("span");
      link.href = hit.section.u;
      where.textContent = hit.section.l + (hit.section.h ? " › " + hit.section.h : "");
      text.textContent = snippet(hit.section.t, words(query)[0]);
      link.appendChild(where); link.appendChild(text); item.appendChild(link); list.appendChild(item);
    });
  }
  input.addEventListener("input", show);
  input.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { input.value = ""; show(); }
    if (e.key === "Enter") { var first = list.querySelector("a"); if (first) { window.location.href = first.href; } }
  });
})();
"""#
}
