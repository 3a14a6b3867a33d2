/* nngrade serve: live preview, autosave with revisions, code runs, submit, countdown. No CDN, no eval. */
(function () {
  "use strict";
  var root = document.getElementById("serve");
  if (!root && document.getElementById("instructor")) {     // the instructor's page: live progress
    // when the class's state changes, the progress parts of the page are replaced in place; the review
    // forms are never touched, so nothing being typed there is lost
    var last = document.getElementById("instructor").dataset.digest, LIVE = ["grader-errors-box", "counts", "items", "progress"];
    setInterval(function () {
      fetch("/instructor/state", {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (d) {
        var now = d.digest;
        if (now !== last) {
          fetch("/instructor", {credentials: "same-origin"}).then(function (r) { return r.text(); }).then(function (html) {
            var doc = new DOMParser().parseFromString(html, "text/html");
            LIVE.forEach(function (id) {
              var mine = document.getElementById(id), fresh = doc.getElementById(id);
              if (mine && fresh) mine.replaceWith(document.importNode(fresh, true));
            });
          });
        }
        last = now;
      }).catch(function () {});
    }, 5000);
    return;
  }
  if (!root) return;
  var csrf = root.dataset.csrf, lang = root.dataset.lang;
  var msg = function (k) { return root.dataset["msg" + k] || ""; };
  var skew = Date.now() / 1000 - parseFloat(root.dataset.now || "0");
  var pending = {};          // address -> timer
  var inflight = {};         // address -> promise
  var revs = {};             // address -> last revision stored or sent
  var unsaved = 0;

  function post(url, body) {
    return fetch(url, {method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf}, body: JSON.stringify(body)});
  }
  function state(text, cls) {
    var el = document.getElementById("save-state");
    el.textContent = text; el.className = cls || "";
  }
  function valueOf(section) {
    if (section.dataset.widget === "options") {
      var boxes = section.querySelectorAll("input:checked"), ids = [];
      for (var i = 0; i < boxes.length; i++) ids.push(boxes[i].value);
      return section.querySelector(".choices").dataset.multiple === "1" ? ids : (ids[0] || "");
    }
    var el = section.querySelector(".answer");
    if (el.dataset.lines) return el.value.split("\n").filter(function (l) { return l.trim() !== ""; });
    return el.value;
  }
  function setValue(section, value) {
    if (section.dataset.widget === "options") {
      var boxes = section.querySelectorAll("input");
      for (var i = 0; i < boxes.length; i++)
        boxes[i].checked = Array.isArray(value) ? value.indexOf(boxes[i].value) >= 0 : boxes[i].value === value;
      return;
    }
    var el = section.querySelector(".answer");
    el.value = Array.isArray(value) ? value.join("\n") : (value || "");
    if (section.dataset.preview) schedulePreview(section, 0);
  }

  // -- autosave: every edit gets a higher revision; the server keeps only the newest --------------
  function save(section) {
    var address = section.dataset.address;
    delete pending[address];
    var rev = (revs[address] || 0) + 1;
    revs[address] = rev;
    var value = valueOf(section);
    state(msg("Saving"), "saving");
    var p = post("/api/save", {address: address, value: value, rev: rev}).then(function (r) {
      return r.json().then(function (data) {
        if (r.status === 409) {            // another tab saved something newer: show it, build on it
          revs[address] = Math.max(revs[address], data.rev);
          if (!pending[address]) setValue(section, data.value);
          state(msg("OtherTab"), "warn");
        } else if (r.ok) {
          unsaved = Math.max(0, unsaved - 1);
          state(msg("Saved"), "ok");
        } else {
          state(data.message || msg("Unsaved"), "error");
          if (r.status === 429) retry(section, 2000);
        }
      });
    }).catch(function () { state(msg("Unsaved"), "error"); retry(section, 3000); });
    inflight[address] = p;
    return p;
  }
  function retry(section, ms) { schedule(section, ms); }
  function schedule(section, ms) {
    var a = section.dataset.address;
    if (pending[a]) clearTimeout(pending[a]);
    pending[a] = setTimeout(function () { save(section); }, ms);
  }
  function flush() {
    var list = [];
    Object.keys(pending).forEach(function (a) {
      clearTimeout(pending[a]);
      list.push(save(document.querySelector('section[data-address="' + CSS.escape(a) + '"]')));
    });
    Object.keys(inflight).forEach(function (a) { list.push(inflight[a]); });
    return Promise.all(list);
  }

  // -- live preview ---------------------------------------------------------------------------------
  var previewTimers = {}, previewSeq = {};
  function schedulePreview(section, ms) {
    var a = section.dataset.address;
    clearTimeout(previewTimers[a]);
    previewTimers[a] = setTimeout(function () { preview(section); }, ms);
  }
  function preview(section) {
    var a = section.dataset.address, box = section.querySelector(".preview");
    var seq = (previewSeq[a] || 0) + 1;
    previewSeq[a] = seq;
    post("/api/preview", {address: a, text: section.querySelector(".answer").value, lang: lang}).then(function (r) {
      return r.json();
    }).then(function (data) {
      if (previewSeq[a] !== seq) return;         // an older answer arriving late never replaces a newer one
      box.className = "preview " + (data.state || "");
      box.textContent = "";
      if (data.state === "ok" || (data.state === "error" && data.mathml)) {
        var label = document.createElement("span");
        label.className = "read-as"; label.textContent = msg("ReadAs") + " ";
        box.appendChild(label);
        var math = document.createElement("span");
        math.className = "math";
        // MathML built by the server from the grader's own LaTeX (escaped by latex2mathml), never the raw text
        math.innerHTML = data.mathml;
        box.appendChild(math);
      }
      if (data.message) {
        var m = document.createElement("div"); m.className = "message"; m.textContent = data.message; box.appendChild(m);
      }
      if (data.caret) {
        var c = document.createElement("pre"); c.className = "caret"; c.textContent = data.caret; box.appendChild(c);
      }
    }).catch(function () {});
  }

  var sections = document.querySelectorAll("section.part");
  sections.forEach(function (section) {
    revs[section.dataset.address] = parseInt(section.dataset.rev || "0", 10);
    var handler = function () {
      schedule(section, 700);
      if (section.dataset.preview) schedulePreview(section, 200);
    };
    section.addEventListener("input", handler);
    section.addEventListener("change", handler);
    if (section.dataset.preview && section.querySelector(".answer").value) schedulePreview(section, 0);
  });
  window.addEventListener("beforeunload", function (e) {
    if (Object.keys(pending).length) { flush(); e.preventDefault(); e.returnValue = ""; }
  });

  // -- code: upload into the editor, run the visible tests ---------------------------------------------
  var file = document.getElementById("code-file");
  if (file) file.addEventListener("change", function () {
    var f = file.files[0];
    if (!f) return;
    if (f.size > 200000) { state(msg("FileLarge"), "error"); return; }
    f.text().then(function (t) {
      var ed = document.getElementById("code");
      ed.value = t;
      ed.dispatchEvent(new Event("input", {bubbles: true}));
    });
  });
  document.querySelectorAll("button.run").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var section = btn.closest("section.part");
      var out = section.querySelector(".run-result");
      out.textContent = msg("Running");
      flush().then(function () {
        return post("/api/run", {address: section.dataset.address});
      }).then(function (r) { return r.json().then(function (d) {
        if (!r.ok) { out.textContent = d.message || ""; if (r.status === 429) poll(); return; }
        poll();
      }); });
    });
  });
  document.querySelectorAll("button.check").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var section = btn.closest("section.part"), out = section.querySelector(".check-result");
      flush().then(function () { return post("/api/check", {address: section.dataset.address}); }).then(function (r) {
        return r.json().then(function (d) {
          out.textContent = "";
          if (!r.ok) { out.textContent = d.message || ""; return; }
          var head = document.createElement("div");
          head.className = "verdict " + d.verdict;
          head.textContent = d.verdict_text + " · " + d.score + " / " + d.max_score;
          out.appendChild(head);
          (d.feedback || []).forEach(function (line) {
            var p = document.createElement("div"); p.textContent = line; out.appendChild(p);
          });
        });
      });
    });
  });
  function showRun(address, run) {
    var section = document.querySelector('section[data-address="' + CSS.escape(address) + '"]');
    if (!section) return;
    var out = section.querySelector(".run-result");
    if (run.status !== "done" && run.status !== "error") { out.textContent = msg("Running"); return; }
    var res = run.result || {};
    out.textContent = "";
    var ul = document.createElement("ul");
    (res.tests || []).forEach(function (t) {
      var li = document.createElement("li");
      li.className = t.passed ? "pass" : "fail";
      li.textContent = (t.passed ? msg("Passed") : msg("Failed")) + " · " + (t.name || "") +
        (t.passed ? "" : ": " + (t.message || "") + (t.input ? " " + t.input : ""));
      ul.appendChild(li);
    });
    if (!(res.tests || []).length) (res.feedback || []).forEach(function (line) {
      var li = document.createElement("li"); li.className = "fail"; li.textContent = line; ul.appendChild(li);
    });
    out.appendChild(ul);
    if (res.traceback) { var pre = document.createElement("pre"); pre.textContent = res.traceback; out.appendChild(pre); }
  }

  // -- submit and poll -------------------------------------------------------------------------------
  var submitBtn = document.getElementById("submit");
  function submitNow(auto) {
    if (!auto && !window.confirm(msg("Confirm"))) return;
    submitBtn.disabled = true;
    var id = sessionStorage.getItem("nngrade-submit") || (self.crypto && crypto.randomUUID ? crypto.randomUUID() :
      String(Date.now()) + "-" + String(Math.random()).slice(2));
    sessionStorage.setItem("nngrade-submit", id);          // a retried request is the same attempt
    flush().then(function () { return post("/api/submit", {submit_id: id}); }).then(function (r) {
      return r.json().then(function (d) {
        if (r.ok) sessionStorage.removeItem("nngrade-submit");
        else { state(d.message || "", "error"); if (r.status !== 403) submitBtn.disabled = false; }
        poll();
      });
    }).catch(function () { submitBtn.disabled = false; state(msg("Unsaved"), "error"); });
  }
  if (submitBtn) submitBtn.addEventListener("click", function () { submitNow(false); });

  var polling = null;
  function poll() {
    if (polling) return;
    polling = setTimeout(function () {
      polling = null;
      fetch("/api/state", {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (d) {
        var busy = false, ul = document.getElementById("attempts");
        ul.textContent = "";
        (d.attempts || []).forEach(function (a) {
          var li = document.createElement("li");
          li.dataset.status = a.status;
          var word = a.status === "graded" ? msg("Graded") : a.status === "error" ? msg("GradeError") :
            a.status === "superseded" ? msg("Superseded") : msg("Grading");
          li.textContent = msg("Attempt") + " " + a.number + ": " + word;
          if (a.status === "queued" || a.status === "grading") busy = true;
          ul.appendChild(li);
        });
        Object.keys(d.runs || {}).forEach(function (a) {
          showRun(a, d.runs[a]);
          if (d.runs[a].status === "queued" || d.runs[a].status === "running") busy = true;
        });
        document.getElementById("feedback-link").hidden = !d.feedback;
        if (busy) poll();
      }).catch(function () { poll(); });
    }, 700);
  }
  if (document.querySelector('#attempts li[data-status="queued"], #attempts li[data-status="grading"]')) poll();

  // -- countdown --------------------------------------------------------------------------------------
  var deadline = parseFloat(root.dataset.deadline || "");
  var cd = document.getElementById("countdown"), fired = false;
  if (deadline) setInterval(function () {
    var left = Math.floor(deadline - (Date.now() / 1000 - skew));
    if (left <= 0) {
      cd.textContent = msg("TimeUp");
      if (!fired && submitBtn && !submitBtn.disabled) { fired = true; submitNow(true); }
      return;
    }
    var h = Math.floor(left / 3600), m = Math.floor(left % 3600 / 60), s = left % 60;
    cd.textContent = msg("TimeLeft") + " " + (h ? h + ":" : "") + String(m).padStart(2, "0") + ":" + String(s).padStart(2, "0");
  }, 1000);
})();
