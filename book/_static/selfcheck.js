/* The book's self-check quizzes and the course progress page.

   Each lesson page holds a <section class="self-check"> with the lesson's questions as
   jupyterquiz JSON (quiz.exporters.jupyterquiz, in a <script type="application/json">).
   This script draws them as ordinary forms, so that they work with a keyboard and a
   screen reader:
   - a choice question is a <fieldset> of radio buttons (checkboxes when several choices
     are right): Tab reaches the group, the arrow keys move through it without answering,
     and the answer is checked with the Check button or Enter;
   - a typed answer has a labelled text box, checked with Enter or the Check button;
   - the feedback goes into a live region (role="status"), so it is read out.
   Answers are graded as jupyterquiz 2.9 grades them (case-insensitive strings with the
   exporter's fuzzy_threshold, numeric ranges), which the exporter's tests tie to the
   course's grading rules; a question with several right choices gets the course's partial
   credit. Each answered part carries its score (0 to 1) in data-score.

   Answers are remembered in the browser's localStorage (nothing is sent anywhere), under
   "selfcheck:<bank id>", together with the bank's version: when the bank changes, its old
   answers are dropped. The progress page (.progress-summary) reads the same entries. */
(function () {
  "use strict";

  var PREFIX = "selfcheck:";

  function load(bank, version) {
    try {
      var saved = JSON.parse(window.localStorage.getItem(PREFIX + bank) || "null");
      if (saved && saved.version === version && saved.parts) return saved;
    } catch (e) { /* storage unavailable or corrupt: start afresh */ }
    return { version: version, parts: {} };
  }

  function save(bank, state) {
    try { window.localStorage.setItem(PREFIX + bank, JSON.stringify(state)); } catch (e) { /* private mode */ }
  }

  /* Questions right (every part right) and answered, out of `total`, from a saved state. */
  function tally(state, parts) {
    var byQuestion = {};
    parts.forEach(function (p) {
      var q = byQuestion[p.qid] || (byQuestion[p.qid] = { answered: false, right: true });
      var got = state.parts[p.key];
      if (got) q.answered = true;
      if (!got || !got.correct) q.right = false;
    });
    var out = { answered: 0, right: 0, total: 0 };
    Object.keys(byQuestion).forEach(function (k) {
      out.total += 1;
      if (byQuestion[k].answered) out.answered += 1;
      if (byQuestion[k].right) out.right += 1;
    });
    return out;
  }

  function levenshtein(a, b) {
    var prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) prev[j] = j;
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      for (j = 1; j <= b.length; j++) {
        cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      }
      prev = cur;
    }
    return prev[b.length];
  }

  /* [correct, feedback HTML, score] for a typed answer, or null when there is nothing to grade. */
  function gradeText(qa, value) {
    var fallback = "";
    var answers = qa.answers.filter(function (a) {
      if (a.type === "default") { fallback = a.feedback || ""; return false; }
      return true;
    });
    if (qa.type === "numeric") {
      var text = value.trim().replace(/%$/, "").trim().replace(/,/g, "");
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return null;
      var x = Number(text);
      for (var i = 0; i < answers.length; i++) {
        var a = answers[i];
        if (("range" in a && x >= a.range[0] && x <= a.range[1]) || ("value" in a && x === a.value)) {
          return [!!a.correct, a.feedback || "", a.correct ? 1 : 0];
        }
      }
      return [false, fallback, 0];
    }
    var sub = value.trim();
    if (!sub) return null;
    for (var k = 0; k < answers.length; k++) {
      var ans = answers[k];
      var s = ans.match_case ? sub : sub.toLowerCase();
      var t = ans.match_case ? ans.answer : ans.answer.toLowerCase();
      if (s === t) return [!!ans.correct, ans.feedback || "", ans.correct ? 1 : 0];
      if (ans.fuzzy_threshold) {
        var ratio = 1 - levenshtein(s, t) / Math.max(s.length, t.length);
        if (ratio >= ans.fuzzy_threshold) return [!!ans.correct, ans.feedback || "", ans.correct ? 1 : 0];
      }
    }
    return [false, fallback, 0];
  }

  /* [correct, feedback HTML, score] for the chosen indices of a choice question, or null.
     Several right choices score as the course does: (right picked - wrong picked) / right
     choices, at least 0; the feedback of each wrong choice picked is shown. */
  function gradeChoice(qa, chosen) {
    if (!chosen.length) return null;
    if (qa.type === "multiple_choice") {
      var a = qa.answers[chosen[0]];
      return [!!a.correct, a.feedback || "", a.correct ? 1 : 0];
    }
    var right = qa.answers.filter(function (x) { return x.correct; });
    var picked = chosen.filter(function (i) { return qa.answers[i].correct; }).length;
    var wrong = chosen.filter(function (i) { return !qa.answers[i].correct; });
    var score = Math.max(0, (picked - wrong.length) / right.length);
    if (score === 1) return [true, right[0].feedback || "", 1];
    var notes = wrong.map(function (i) { return qa.answers[i].feedback || ""; }).filter(Boolean);
    var told = notes.length ? notes.join(" ") : "Not every right choice is selected.";
    return [false, "Partly right: " + picked + " of " + right.length + " right choices" +
      (wrong.length ? ", " + wrong.length + " wrong" : "") + " (score " + Math.round(score * 100) + "%). " + told, score];
  }

  function el(tag, attrs, html) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (html !== undefined) node.innerHTML = html;  // the exporter's escaped HTML
    return node;
  }

  function showFeedback(form, result, quiet) {
    var fb = form.querySelector(".sc-feedback");
    form.classList.remove("sc-right", "sc-wrong");
    form.classList.add(result[0] ? "sc-right" : "sc-wrong");
    form.dataset.score = String(result[2]);
    var verdict = result[0] || result[2] > 0 ? "" : "<strong class=\"sc-verdict\">Not right.</strong> ";
    fb.className = "sc-feedback " + (result[0] ? "correct" : "incorrect");
    fb.innerHTML = verdict + result[1];
    if (quiet) fb.setAttribute("data-restored", "true");
  }

  function renderPart(part, index, ctx) {
    var qa = part.qa;
    var base = ctx.prefix + "-" + index;
    var form = el("form", { "class": "sc-part", "id": base, "novalidate": "" });
    form.dataset.key = part.key;
    var input;
    if (qa.type === "multiple_choice" || qa.type === "many_choice") {
      var many = qa.type === "many_choice";
      var set = el("fieldset", { "class": "sc-choices" });
      set.appendChild(el("legend", { "class": "sc-text" }, qa.question));
      if (many) set.appendChild(el("p", { "class": "sc-hint" }, "Select every right choice, then Check."));
      qa.answers.forEach(function (a, i) {
        var label = el("label", { "class": "sc-choice" });
        var box = el("input", { type: many ? "checkbox" : "radio", name: base, value: String(i) });
        label.appendChild(box);
        label.appendChild(el("span", {}, a.answer));
        set.appendChild(label);
      });
      form.appendChild(set);
    } else {
      form.appendChild(el("p", { "class": "sc-text", id: base + "-text" }, qa.question));
      var row = el("div", { "class": "sc-typed" });
      row.appendChild(el("label", { "for": base + "-answer" }, qa.type === "numeric" ? "Your answer (a number)" : "Your answer"));
      input = el("input", { type: "text", id: base + "-answer", autocomplete: "off", spellcheck: "false",
        "aria-describedby": base + "-text" });
      if (qa.type === "numeric") input.setAttribute("inputmode", "decimal");
      row.appendChild(input);
      form.appendChild(row);
    }
    form.appendChild(el("button", { type: "submit", "class": "sc-check" }, "Check"));
    form.appendChild(el("div", { "class": "sc-feedback", role: "status", "aria-live": "polite" }));

    function response() {
      if (input) return input.value;
      return Array.prototype.filter.call(form.querySelectorAll("input"), function (b) { return b.checked; })
        .map(function (b) { return Number(b.value); });
    }
    function grade(value) {
      return input ? gradeText(qa, value) : gradeChoice(qa, value);
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var value = response();
      var result = grade(value);
      if (!result) {
        var fb = form.querySelector(".sc-feedback");
        fb.className = "sc-feedback";
        fb.textContent = input ? (qa.type === "numeric" ? "Type a number first." : "Type an answer first.")
          : "Choose an answer first.";
        return;
      }
      showFeedback(form, result);
      ctx.state.parts[part.key] = { response: value, correct: result[0] };
      save(ctx.bank, ctx.state);
      ctx.update();
    });
    /* Enter on a radio button or checkbox checks the answer, as it does in a text box. */
    form.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && event.target.type !== "submit" && event.target.tagName === "INPUT") {
        event.preventDefault();
        form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
      }
    });

    var saved = ctx.state.parts[part.key];
    if (saved) {
      if (input) input.value = String(saved.response);
      else (saved.response || []).forEach(function (i) {
        var box = form.querySelector("input[value='" + Number(i) + "']");
        if (box) box.checked = true;
      });
      var again = grade(saved.response);
      if (again) showFeedback(form, again, true);
    }
    return form;
  }

  function initQuiz(section) {
    var data = section.querySelector("script.sc-data");
    var list = section.querySelector(".sc-questions");
    if (!data || !list || section.dataset.ready) return;
    section.dataset.ready = "true";
    var questions = JSON.parse(data.textContent);
    var bank = section.dataset.bank, version = section.dataset.version;
    var parts = questions.map(function (qa, i) {
      return { qa: qa, qid: qa.id, key: qa.part ? qa.id + "#" + qa.part[0] : qa.id, index: i };
    });
    var ctx = { bank: bank, state: load(bank, version), prefix: "sc-" + bank };
    var score = section.querySelector(".sc-score");
    ctx.update = function () {
      var t = tally(ctx.state, parts);
      if (score) score.textContent = t.answered ? t.right + " of " + t.total + " right, " + t.answered + " answered" : "not started";
    };
    var item = null, last = null;
    parts.forEach(function (part, i) {
      if (part.qid !== last) {
        item = el("li", { "class": "sc-question", id: "sc-" + part.qid });
        list.appendChild(item);
        last = part.qid;
      }
      item.appendChild(renderPart(part, i, ctx));
    });
    var reset = section.querySelector(".sc-reset");
    if (reset) {
      reset.hidden = false;
      reset.addEventListener("click", function () {
        if (!window.confirm("Clear your answers to this self-check?")) return;
        ctx.state = { version: version, parts: {} };
        save(bank, ctx.state);
        list.innerHTML = "";
        section.dataset.ready = "";
        initQuiz(section);
        section.querySelector(".sc-status").textContent = "Your answers to this self-check are cleared.";
      });
    }
    section.querySelector(".sc-loading") && section.querySelector(".sc-loading").remove();
    ctx.update();
  }

  /* The course progress page: one row per lesson (.progress-score), filled from localStorage. */
  function initProgress(root) {
    var rows = root.querySelectorAll(".progress-score[data-bank]");
    var totals = { answered: 0, right: 0, total: 0 };
    rows.forEach(function (cell) {
      var saved = load(cell.dataset.bank, cell.dataset.version);
      var total = Number(cell.dataset.questions);
      var parts = JSON.parse(cell.dataset.parts || "[]").map(function (key) {
        return { key: key, qid: key.split("#")[0] };
      });
      var t = tally(saved, parts);
      totals.answered += t.answered; totals.right += t.right; totals.total += total;
      cell.textContent = t.answered ? t.right + " of " + total + " right (" + t.answered + " answered)" : "not started";
      cell.classList.toggle("sc-done", t.right === total && total > 0);
    });
    var sum = root.querySelector(".progress-total");
    if (sum) sum.textContent = totals.right + " of " + totals.total + " questions right, " + totals.answered + " answered.";
    var reset = root.querySelector(".progress-reset");
    if (reset && !reset.dataset.ready) {
      reset.dataset.ready = "true";
      reset.hidden = false;
      reset.addEventListener("click", function () {
        if (!window.confirm("Clear every self-check answer saved in this browser?")) return;
        try {
          Object.keys(window.localStorage).forEach(function (k) {
            if (k.indexOf(PREFIX) === 0) window.localStorage.removeItem(k);
          });
        } catch (e) { /* storage unavailable */ }
        initProgress(root);
        root.querySelector(".progress-status").textContent = "Your progress is cleared.";
      });
    }
  }

  function init() {
    document.querySelectorAll("section.self-check, div.self-check").forEach(initQuiz);
    if (document.querySelector(".progress-summary")) initProgress(document);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
