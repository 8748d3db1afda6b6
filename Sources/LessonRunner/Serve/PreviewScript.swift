/// The script `lessonbook serve` adds to every page it serves: live reload (keeping the
/// scroll position) and, on a lesson's page, Edit / Run (Shift+Enter) / Save / Stop per cell.
/// Output is shown as text; the saved lesson and its re-rendered page show images and plots.
enum PreviewScript {
    static let source = #"""
(function () {
  "use strict";
  var page = decodeURIComponent(location.pathname.split("/").pop() || "index.html");
  var scrollKey = "lessonbook-scroll:" + page;
  var kept = sessionStorage.getItem(scrollKey);
  if (kept !== null) { sessionStorage.removeItem(scrollKey); window.scrollTo(0, parseFloat(kept)); }
  var events = new EventSource("/_lessonbook/events");
  events.addEventListener("reload", function (e) {
    var changed = JSON.parse(e.data).page;
    if (changed === page || page === "index.html") {
      sessionStorage.setItem(scrollKey, String(window.scrollY));
      location.reload();
    }
  });
  var style = document.createElement("style");
  style.textContent = ".lb-live-bar{display:flex;gap:.4em;margin:.3em 0}.lb-live-bar button{font:inherit;font-size:.85em;padding:.1em .6em;cursor:pointer}" +
    ".lb-editor{width:100%;box-sizing:border-box;font-family:ui-monospace,monospace;font-size:.9em;min-height:6em}" +
    ".lb-live-output{white-space:pre-wrap;border-left:3px solid #4a7;padding:.3em .6em;margin:.3em 0}.lb-live-output.lb-live-failed{border-color:#c33}" +
    ".lb-live-status{font-size:.8em;opacity:.8}.lb-cell.lb-stale{opacity:.55}";
  document.head.appendChild(style);

  function post(path, body) {
    return fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), credentials: "same-origin" })
      .then(function (r) { return r.json().then(function (j) { j.httpStatus = r.status; return j; }); });
  }

  fetch("/_lessonbook/lesson?page=" + encodeURIComponent(page), { credentials: "same-origin" })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (lesson) { if (lesson) lesson.cells.forEach(function (cell) { attach(lesson, cell); }); });

  function button(bar, label, action) {
    var b = document.createElement("button");
    b.type = "button"; b.textContent = label; b.className = "lb-" + label.toLowerCase().replace(/ /g, "-");
    b.addEventListener("click", action); bar.appendChild(b); return b;
  }

  function attach(lesson, cell) {
    var section = document.getElementById(cell.anchor);
    if (!section) return;
    section.dataset.cell = cell.number;
    var bar = document.createElement("div"); bar.className = "lb-live-bar";
    section.insertBefore(bar, section.firstChild);
    var editor = null, status = document.createElement("span"), shown = null;
    status.className = "lb-live-status";
    function show(reply) {
      if (!shown) {
        section.querySelectorAll(".lb-output, .lb-error").forEach(function (old) { old.style.display = "none"; });
        shown = document.createElement("pre"); section.appendChild(shown);
      }
      shown.className = "lb-live-output" + (reply.status === "passed" ? "" : " lb-live-failed");
      shown.textContent = reply.status === "passed" ? reply.output : (reply.output ? reply.output + "\n" : "") + (reply.error || "failed");
      status.textContent = reply.error && reply.httpStatus !== 200 ? reply.error :
        reply.status + " · " + reply.executed + " cell" + (reply.executed === 1 ? "" : "s") + " ran · " + reply.seconds.toFixed(2) + " s";
    }
    function run() {
      status.textContent = "running…";
      return post("/_lessonbook/run", { page: page, cell: cell.number, source: editor.value }).then(function (reply) {
        show(reply);
        document.querySelectorAll(".lb-cell").forEach(function (other) {
          if (parseInt(other.dataset.cell || "0", 10) > cell.number) other.classList.add("lb-stale");
        });
      });
    }
    function save() {
      status.textContent = "saving…";
      return post("/_lessonbook/save", { page: page, cell: cell.number, source: editor.value, hash: lesson.hash }).then(function (reply) {
        if (reply.httpStatus === 409) {
          status.textContent = reply.error + " ";
          var reload = document.createElement("button"); reload.textContent = "Reload"; reload.addEventListener("click", function () { location.reload(); });
          status.appendChild(reload);
          return;
        }
        if (reply.hash) lesson.hash = reply.hash;
        show(reply);
        if (reply.httpStatus === 200) status.textContent = "saved · " + status.textContent;
      });
    }
    button(bar, "Edit", function () {
      if (editor) return;
      editor = document.createElement("textarea");
      editor.className = "lb-editor"; editor.value = cell.source; editor.spellcheck = false;
      editor.rows = Math.max(4, cell.source.split("\n").length + 1);
      editor.addEventListener("keydown", function (e) { if (e.key === "Enter" && e.shiftKey) { e.preventDefault(); run(); } });
      var code = section.querySelector(".lb-cell-code");
      if (code) code.style.display = "none";
      bar.after(editor);
      button(bar, "Run", run); button(bar, "Save", save);
      button(bar, "Stop", function () { post("/_lessonbook/stop", { page: page }); });
      bar.appendChild(status);
      editor.focus();
    });
  }
})();
"""#
}
