// ketacheck offline form: the page. Reads the controls into a response state, shows and
// hides items as conditions change, shows the verdict, saves, opens, prints and keeps the
// answers in the browser's storage. Every text it writes goes in through textContent.
(function (ns) {
  "use strict";

  var plan = JSON.parse(document.getElementById("plan").textContent);
  var UNKNOWN = ns.UNKNOWN;
  var STORE = "ketacheck-form:" + plan.checklist.id + ":" + location.pathname;
  var state = ns.emptyState(plan);
  var byId = {};
  plan.items.forEach(function (item) { byId[item.id] = item; });

  function $(id) { return document.getElementById(id); }
  function has(map, key) { return Object.prototype.hasOwnProperty.call(map, key); }
  function inputs(id) { return Array.prototype.slice.call(document.getElementsByName("a-" + id)); }
  function unknownBox(id) { var u = document.getElementsByName("u-" + id); return u.length ? u[0] : null; }

  function say(message) { $("status").textContent = message; }

  function showWarnings(title, lines) {
    var box = $("warnings");
    box.textContent = "";
    if (!lines.length) { box.hidden = true; return; }
    var strong = document.createElement("strong");
    strong.textContent = title;
    box.appendChild(strong);
    var list = document.createElement("ul");
    lines.forEach(function (line) {
      var li = document.createElement("li");
      li.textContent = line;
      list.appendChild(li);
    });
    box.appendChild(list);
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Dismiss";
    close.addEventListener("click", function () { box.hidden = true; });
    box.appendChild(close);
    box.hidden = false;
  }

  // -- controls -> answers -----------------------------------------------------------------

  function readNumber(item, field) {
    var text = field.value.trim();
    if (text === "" && !field.validity.badInput) return { none: true };
    var value = Number(text);
    if (field.validity.badInput || text === "" || !isFinite(value)) {
      return { error: "Type a number, like 45 or 4.5." };
    }
    var problem = ns.answerProblem(plan, item, value);
    return problem ? { error: "Not counted: " + problem.split(";")[0] + "." } : { value: value };
  }

  // The answer the controls of *item* show: {value}, {none: true} or {error}.
  function readControls(item) {
    var id = item.id, kind = item.kind;
    var u = unknownBox(id);
    if (kind === "yes-no" || kind === "choice") {
      var chosen = inputs(id).filter(function (i) { return i.checked; });
      return chosen.length ? { value: chosen[0].value } : { none: true };
    }
    if (kind === "multi") {
      var boxes = inputs(id);
      if (boxes.some(function (b) { return b.checked && b.hasAttribute("data-unknown"); })) return { value: UNKNOWN };
      var picked = boxes.filter(function (b) { return b.checked && b.value && !b.hasAttribute("data-unknown"); })
        .map(function (b) { return b.value; });
      if (picked.length) return { value: picked };
      return boxes.some(function (b) { return b.checked && b.hasAttribute("data-none"); }) ? { value: [] } : { none: true };
    }
    if (u && u.checked) return { value: UNKNOWN };
    var field = $("a-" + id);
    if (kind === "number") return readNumber(item, field);
    return field.value === "" ? { none: true } : { value: field.value };
  }

  // Keep the boxes of a multi item consistent after *changed* was ticked.
  function exclusive(item, changed) {
    if (item.kind === "multi" && changed.checked) {
      var special = changed.hasAttribute("data-none") || changed.hasAttribute("data-unknown");
      inputs(item.id).forEach(function (b) {
        if (b === changed) return;
        var other = b.hasAttribute("data-none") || b.hasAttribute("data-unknown");
        if (special || other) b.checked = false;
      });
    }
    var u = unknownBox(item.id);
    if (u && changed === u) $("a-" + item.id).disabled = u.checked;
  }

  function showError(id, message) {
    var p = $("e-" + id);
    p.textContent = message || "";
    p.hidden = !message;
    var field = $("a-" + id);
    if (field && field.setCustomValidity) {
      field.setCustomValidity(message || "");
      if (message) field.setAttribute("aria-invalid", "true"); else field.removeAttribute("aria-invalid");
    }
  }

  function fromControls(item) {
    var got = readControls(item);
    showError(item.id, got.error);
    if (has(got, "value")) state.answers[item.id] = got.value;
    else delete state.answers[item.id];
    $("q-" + item.id).querySelector("[data-clear]").hidden = !has(state.answers, item.id) && !got.error;
  }

  // -- answers -> controls -----------------------------------------------------------------

  function toControls(item) {
    var id = item.id;
    var answered = has(state.answers, id);
    var value = answered ? state.answers[id] : null;
    var u = unknownBox(id);
    if (item.kind === "yes-no" || item.kind === "choice") {
      inputs(id).forEach(function (r) { r.checked = answered && r.value === value; });
    } else if (item.kind === "multi") {
      inputs(id).forEach(function (b) {
        if (b.hasAttribute("data-unknown")) b.checked = value === UNKNOWN;
        else if (b.hasAttribute("data-none")) b.checked = Array.isArray(value) && value.length === 0;
        else b.checked = Array.isArray(value) && value.indexOf(b.value) >= 0;
      });
    } else {
      var field = $("a-" + id);
      u.checked = value === UNKNOWN;
      field.disabled = u.checked;
      field.value = answered && value !== UNKNOWN ? String(value) : "";
    }
    $("n-" + id).value = has(state.notes, id) ? state.notes[id] : "";
    if (has(state.notes, id) && state.notes[id]) $("n-" + id).closest("details").open = true;
    showError(id, "");
    $("q-" + id).querySelector("[data-clear]").hidden = !answered;
  }

  function providerToControls() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-provider]"), function (field) {
      var key = field.getAttribute("data-provider");
      var value = has(state.provider, key) ? state.provider[key] : "";
      field.value = key === "interviewed" && value ? value.toISOString().slice(0, 10) : value;
    });
  }

  function providerFromControl(field) {
    var key = field.getAttribute("data-provider");
    var value = field.value;
    if (key === "website") {
      var bad = value !== "" && !/^https?:\/\/\S+$/i.test(value);
      var error = $("p-website-error");
      error.textContent = bad ? "Not kept: a website starts with https:// or http://." : "";
      error.hidden = !bad;
      if (bad) { field.setAttribute("aria-invalid", "true"); delete state.provider.website; return; }
      field.removeAttribute("aria-invalid");
    }
    if (value === "") delete state.provider[key];
    else state.provider[key] = key === "interviewed" ? ns.dateOf(value) : value;
  }

  function allToControls() {
    plan.items.forEach(toControls);
    providerToControls();
    refresh();
  }

  // -- the verdict ---------------------------------------------------------------------------

  function percentText(value) { return value === null ? "n/a" : value.toFixed(0) + "%"; }

  function answerText(item, answer) {
    if (answer === UNKNOWN) return "unknown";
    if (item.kind === "yes-no") return answer;
    if (item.options) {
      var o = item.options.find(function (x) { return x.id === answer; });
      return o ? o.label : String(answer);
    }
    return String(answer) + (item.unit ? " " + item.unit : "");
  }

  function fillList(list, entries, text) {
    list.textContent = "";
    entries.forEach(function (entry) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "#q-" + entry.item;
      a.textContent = byId[entry.item].prompt;
      li.appendChild(a);
      li.appendChild(document.createTextNode(" " + text(entry)));
      list.appendChild(li);
    });
  }

  function counted(n, noun) { return n + " " + noun + (n === 1 ? "" : "s"); }

  function pointsText(n) { return String(Math.round(n * 100) / 100); }

  // Why the band is capped or missing, in the words of ketacheck score (one sentence).
  function bandNote(result, details) {
    var s = plan.scoring;
    if (result.band_capped) {
      return "Band capped at \u201c" + result.band + "\u201d: with " + counted(result.red_flags.length, "red flag") +
        " the band is at best \u201c" + result.band + "\u201d (the points alone reach \u201c" + details.uncapped + "\u201d).";
    }
    if (result.band !== null || s.bands.length === 0) return "";
    if (result.completeness === null) return "No band: no question applies.";
    if (result.completeness < s.min_completeness) {
      return "No band yet: " + details.answered + " of " + details.applicable +
        " applicable questions are answered (" + (100 * result.completeness).toFixed(1) +
        "%); a verdict needs " + (100 * s.min_completeness).toFixed(1) + "%, so at least " +
        counted(ns.answersNeeded(plan, details), "more answer") + ".";
    }
    return "No band: no scored question applies.";
  }

  function showVerdict(result, details) {
    var percent = percentText(result.percent);
    $("v-percent").textContent = percent;
    $("v-band").textContent = result.band || "";
    var note = bandNote(result, details);
    $("v-band-note").textContent = note;
    $("v-band-note").hidden = !note;
    $("v-completeness").textContent = result.completeness === null ? "n/a"
      : percentText(100 * result.completeness) + " (" + details.answered + " of " + details.applicable + " questions)";
    $("v-care").textContent = result.care_model.replace(/-/g, " ");
    $("v-red-count").textContent = String(result.red_flags.length);
    $("v-caution-count").textContent = String(result.cautions.length);
    var flagText = function (f) { return "(" + answerText(byId[f.item], f.answer) + "): " + f.reason; };
    fillList($("v-red"), result.red_flags, flagText);
    fillList($("v-caution"), result.cautions, flagText);
    fillList($("v-cost"), ns.costliest(details, 5), function (c) {
      return "(" + (c.answered ? answerText(byId[c.item], state.answers[c.item]) : "not answered") +
        "): lost " + pointsText(c.lost) + " of " + pointsText(c.max_points) +
        (c.max_points === 1 ? " point" : " points");
    });
    $("mini-text").textContent = percent + (result.band ? " " + result.band : "") + ", " +
      counted(result.red_flags.length, "red flag");
  }

  function refresh() {
    var applies = ns.applicability(plan, state.answers);
    plan.items.forEach(function (item, i) { $("q-" + item.id).hidden = !applies[i]; });
    Array.prototype.forEach.call(document.querySelectorAll("section.section"), function (s) {
      s.hidden = !s.querySelector("fieldset.item:not([hidden])");
    });
    var details = { items: [] };
    var result = ns.score(plan, state.answers, Number($("profile").value), state.provider.name || "", details);
    showVerdict(result, details);
  }

  // -- keeping, saving, opening --------------------------------------------------------------

  function autosave() {
    try {
      localStorage.setItem(STORE, ns.writeResponse(plan, state));
      localStorage.setItem(STORE + ":profile", $("profile").value);
    } catch (e) {
      say("This browser does not keep the answers by itself: save them to a file.");
    }
  }

  function changed() {
    ns.touch(plan, state);
    refresh();
    autosave();
  }

  function fileName() {
    var name = (state.provider.name || plan.checklist.id).toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    return (name || "answers") + ".toml";
  }

  function save() {
    var text = ns.writeResponse(plan, state);
    var url = URL.createObjectURL(new Blob([text], { type: "application/toml" }));
    var a = document.createElement("a");
    a.href = url;
    a.download = fileName();
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    say("Saved the answers as " + a.download + " (in your downloads).");
  }

  function load(text, source) {
    var read;
    try {
      read = ns.readResponse(plan, text);
    } catch (e) {
      showWarnings("Could not open " + source + "; nothing was changed:", String(e.message).split("\n"));
      return false;
    }
    state = read.state;
    allToControls();
    showWarnings("Opened " + source + ", with these warnings:", read.warnings);
    return true;
  }

  function openFile(file) {
    if (!file) return;
    var answered = Object.keys(state.answers).length > 0;
    if (answered && !window.confirm("Replace the answers on this page with those in " + file.name + "?")) return;
    file.text().then(function (text) {
      if (load(text, file.name)) { autosave(); say("Opened " + file.name + "."); }
    });
  }

  function restore() {
    var kept = null;
    try { kept = localStorage.getItem(STORE); } catch (e) { kept = null; }
    try {
      var profile = localStorage.getItem(STORE + ":profile");
      if (profile !== null && Number(profile) < plan.profiles.length) $("profile").value = profile;
    } catch (e) { /* no storage: the choice in the page stays */ }
    if (kept && load(kept, "the answers kept in this browser")) say("Restored the answers kept in this browser.");
  }

  function reset() {
    if (!window.confirm("Remove every answer from this page (and from this browser)? Save them first if you need them.")) return;
    state = ns.emptyState(plan);
    try { localStorage.removeItem(STORE); } catch (e) { /* nothing kept */ }
    allToControls();
    showWarnings("", []);
    say("Started over: the form is empty.");
  }

  // -- printing: open the notes and reasons that have something to show --------------------

  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details.note"), function (d) {
      return !d.open && d.querySelector("textarea").value !== "";
    });
    opened.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });

  // -- wiring --------------------------------------------------------------------------------

  $("answers").addEventListener("input", onEdit);
  $("answers").addEventListener("change", onEdit);
  $("answers").addEventListener("submit", function (e) { e.preventDefault(); });

  function onEdit(event) {
    var target = event.target;
    if (target.hasAttribute("data-provider")) {
      providerFromControl(target);
      changed();
      return;
    }
    if (target.hasAttribute("data-note")) {
      var id = target.getAttribute("data-note");
      if (target.value) state.notes[id] = target.value; else delete state.notes[id];
      changed();
      return;
    }
    var fieldset = target.closest("fieldset.item");
    if (!fieldset) return;
    var item = byId[fieldset.getAttribute("data-item")];
    if (event.type === "change" || target.type !== "checkbox") exclusive(item, target);
    var before = JSON.stringify(state.answers[item.id]);
    fromControls(item);
    if (JSON.stringify(state.answers[item.id]) !== before || event.type === "change") changed();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-clear]");
    if (!button) return;
    var item = byId[button.getAttribute("data-clear")];
    delete state.answers[item.id];
    toControls(item);
    changed();
    var first = $("q-" + item.id).querySelector("input, textarea");
    if (first) first.focus();
    say("Cleared the answer.");
  });
  $("profile").addEventListener("change", function () { refresh(); autosave(); });
  $("save").addEventListener("click", save);
  $("open").addEventListener("click", function () { $("open-file").click(); });
  $("open-file").addEventListener("change", function (e) { openFile(e.target.files[0]); e.target.value = ""; });
  $("print").addEventListener("click", function () { window.print(); });
  $("reset").addEventListener("click", reset);

  restore();
  refresh();

  ns.plan = plan;
  ns.page = { state: function () { return state; }, load: load, save: save };
})(globalThis.ketacheckForm);
