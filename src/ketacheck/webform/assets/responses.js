// ketacheck offline form: response files (DESIGN §4), read and written with the vendored
// TOML library (smol-toml, see VENDORED.md).
//
// A response is kept as a *state*: provider details, answers in Python's shapes, notes,
// and what the page does not manage but must not lose (answers and notes to items the
// checklist lacks, "orphans"; the times and checklist version from the file). Reading
// checks every answer as ketacheck.load_response does; writing lays the file out as
// ketacheck does (answers in checklist order, orphans after them).
(function (ns) {
  "use strict";

  var toml = ns.toml;
  var UNKNOWN = "unknown";
  var TOP_KEYS = ["schema", "checklist", "checklist-version", "created", "updated", "provider",
    "answers", "notes"];
  var PROVIDER_KEYS = ["name", "kind", "website", "location", "interviewed", "interviewer"];

  function has(map, key) {
    return Object.prototype.hasOwnProperty.call(map, key);
  }

  function isTable(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value) &&
      !(value instanceof Date);
  }

  function emptyState(plan) {
    return { checklist: plan.checklist.id, checklistVersion: null, created: null, updated: null,
      provider: {}, answers: {}, notes: {}, orphans: {}, orphanNotes: {} };
  }

  function now() {
    return toml.TomlDate.wrapAsOffsetDateTime(new Date(Math.floor(Date.now() / 1000) * 1000));
  }

  // Record that the person changed something now (as Response._touch does).
  function touch(plan, state) {
    state.updated = now();
    if (state.created === null) state.created = state.updated;
    state.checklistVersion = plan.checklist.version;
  }

  function numberWords(value) {
    return String(value);
  }

  function accepts(item) {
    if (item.kind === "text") return "expected a string";
    var what;
    if (item.kind === "number") {
      var lo = item.min, hi = item.max_value;
      what = item.integer ? "a whole number" : "a number";
      if (lo !== null && hi !== null) what += " from " + lo + " to " + hi;
      else if (lo !== null) what += " of at least " + lo;
      else if (hi !== null) what += " of at most " + hi;
    } else {
      var ids = item.kind === "yes-no" ? ["yes", "no"] : item.options.map(function (o) { return o.id; });
      what = (item.kind === "multi" ? "a list of: " : "one of: ") + ids.join(", ");
    }
    return "expected " + what + ' (or "' + UNKNOWN + '")';
  }

  function optionIds(item) {
    return item.kind === "yes-no" ? ["yes", "no"] : item.options.map(function (o) { return o.id; });
  }

  // The problem with *value* as an answer to *item*, or null when it fits.
  function answerProblem(plan, item, value) {
    if (value === UNKNOWN) return null;
    var kind = item.kind;
    if (kind === "text") {
      if (typeof value !== "string") return accepts(item);
      return value.length > plan.max_text ? value.length + " characters; the limit is " + plan.max_text : null;
    }
    if (kind === "multi") {
      if (!Array.isArray(value)) return accepts(item);
      var seen = {};
      for (var i = 0; i < value.length; i++) {
        var v = value[i];
        if (typeof v !== "string" || optionIds(item).indexOf(v) < 0) {
          return (v === UNKNOWN ? '"unknown" is an answer on its own, not in a list'
            : JSON.stringify(v) + " is not an option") + "; " + accepts(item);
        }
        if (has(seen, v)) return '"' + v + '" is listed more than once; ' + accepts(item);
        seen[v] = true;
      }
      return null;
    }
    if (kind === "number") {
      if (typeof value === "bigint") value = Number(value);
      if (typeof value !== "number") return accepts(item);
      if (!isFinite(value)) return value + " is not a finite number; " + accepts(item);
      if (item.integer && !Number.isInteger(value)) return numberWords(value) + " is not a whole number; " + accepts(item);
      if (item.min !== null && value < item.min) return numberWords(value) + " is below the minimum " + item.min + "; " + accepts(item);
      if (item.max_value !== null && value > item.max_value) return numberWords(value) + " is above the maximum " + item.max_value + "; " + accepts(item);
      return null;
    }
    if (typeof value !== "string") return accepts(item);
    return optionIds(item).indexOf(value) >= 0 ? null : '"' + value + '" is not an option; ' + accepts(item);
  }

  function byId(plan) {
    var out = {};
    plan.items.forEach(function (item) { out[item.id] = item; });
    return out;
  }

  function isDateTime(value) {
    return value instanceof toml.TomlDate && !value.isDate() && !value.isTime();
  }

  function readProvider(plan, raw, problems) {
    if (!isTable(raw)) { problems.push("provider: expected a table"); return {}; }
    var out = {};
    Object.keys(raw).forEach(function (key) {
      var value = raw[key];
      if (PROVIDER_KEYS.indexOf(key) < 0) problems.push("provider." + key + ": unknown key");
      else if (key === "interviewed") {
        if (value instanceof toml.TomlDate && value.isDate()) out[key] = value;
        else problems.push("provider.interviewed: expected a date (like 2026-11-20)");
      } else if (typeof value !== "string") problems.push("provider." + key + ": expected a string");
      else if (key === "kind" && plan.provider_kinds.indexOf(value) < 0) {
        problems.push('provider.kind: "' + value + '" is not one of: ' + plan.provider_kinds.join(", "));
      }
      else if (key === "website" && !/^https?:/i.test(value)) {
        problems.push('provider.website: only http and https links are allowed, got "' + value + '"');
      } else out[key] = value;
    });
    if (!has(raw, "name")) problems.push("provider.name: required");
    return out;
  }

  function readAnswers(plan, raw, state, problems, warnings) {
    var items = byId(plan);
    var moved = [];
    Object.keys(raw).forEach(function (key) {
      var value = raw[key];
      if (has(items, key)) {
        var problem = answerProblem(plan, items[key], value);
        if (problem) problems.push("answers." + key + ": " + problem);
        else state.answers[key] = value;
      } else if (has(plan.renamed, key)) {
        moved.push(key);
      } else {
        state.orphans[key] = value;
        warnings.push("answers." + key + ': this checklist has no item "' + key +
          '"; the answer is kept in the file but not scored');
      }
    });
    moved.forEach(function (old) {
      var target = plan.renamed[old];
      if (has(state.answers, target) || has(raw, target)) {
        state.orphans[old] = raw[old];
        warnings.push("answers." + old + ': renamed to "' + target + '", which has its own answer; the old answer is kept but not scored');
      } else if (answerProblem(plan, items[target], raw[old])) {
        state.orphans[old] = raw[old];
        warnings.push("answers." + old + ': renamed to "' + target + '", but the answer does not fit it; it is kept but not scored');
      } else {
        state.answers[target] = raw[old];
        warnings.push("answers." + old + ': renamed to "' + target + '"; the answer counts for "' + target + '"');
      }
    });
  }

  function readNotes(plan, raw, state, problems) {
    var items = byId(plan);
    Object.keys(raw).forEach(function (key) {
      var text = raw[key];
      if (typeof text !== "string") { problems.push("notes." + key + ": expected a string"); return; }
      var target = has(plan.renamed, key) && !has(raw, plan.renamed[key]) ? plan.renamed[key] : key;
      if (has(items, target) && !has(state.notes, target)) state.notes[target] = text;
      else state.orphanNotes[key] = text;
    });
  }

  // Read response TOML *text*: {state, warnings}; throws an Error listing every problem.
  function readResponse(plan, text) {
    var doc;
    try {
      doc = toml.parse(text, { integersAsBigInt: "asNeeded" });
    } catch (e) {
      throw new Error("this is not a TOML file (" + String(e.message).split("\n")[0] + ")");
    }
    if (has(doc, "sections")) throw new Error("this is a checklist, not a response file");
    var problems = [], warnings = [];
    var state = emptyState(plan);
    Object.keys(doc).forEach(function (key) {
      if (TOP_KEYS.indexOf(key) < 0) problems.push(key + ": unknown key");
    });
    if (doc.schema !== 1 && doc.schema !== 1n) problems.push("schema: expected 1");
    if (typeof doc.checklist !== "string") problems.push("checklist: required (a checklist id)");
    else if (doc.checklist !== plan.checklist.id) {
      warnings.push('checklist: the file answers "' + doc.checklist + '", but this form is "' +
        plan.checklist.id + '"; answers to items this checklist lacks are kept but not scored');
    }
    var version = doc["checklist-version"];
    if (version !== undefined && typeof version !== "string") problems.push("checklist-version: expected a string");
    else if (version !== undefined) {
      state.checklistVersion = version;
      if (version !== plan.checklist.version) {
        warnings.push("checklist-version: the answers were recorded against version " + version +
          "; this form is version " + plan.checklist.version);
      }
    }
    ["created", "updated"].forEach(function (key) {
      if (doc[key] === undefined) return;
      if (isDateTime(doc[key])) state[key] = doc[key];
      else problems.push(key + ": expected a date and time");
    });
    if (doc.provider !== undefined) state.provider = readProvider(plan, doc.provider, problems);
    if (doc.answers !== undefined) {
      if (isTable(doc.answers)) readAnswers(plan, doc.answers, state, problems, warnings);
      else problems.push("answers: expected a table");
    }
    if (doc.notes !== undefined) {
      if (isTable(doc.notes)) readNotes(plan, doc.notes, state, problems);
      else problems.push("notes: expected a table");
    }
    if (/\d\d:\d\d:\d\d\.\d{4,}/.test(text)) {
      warnings.push("times in this file are more precise than a millisecond; the form keeps them to the millisecond");
    }
    if (problems.length) throw new Error(problems.join("\n"));
    return { state: state, warnings: warnings };
  }

  function ordered(plan, values, extra) {
    var out = {};
    plan.items.forEach(function (item) { if (has(values, item.id)) out[item.id] = values[item.id]; });
    Object.keys(extra).forEach(function (key) { out[key] = extra[key]; });
    return out;
  }

  // The response file of *state*, laid out as ketacheck lays it out.
  function writeResponse(plan, state) {
    var doc = { schema: 1, checklist: plan.checklist.id };
    if (state.checklistVersion !== null) doc["checklist-version"] = state.checklistVersion;
    if (state.created !== null) doc.created = state.created;
    if (state.updated !== null) doc.updated = state.updated;
    var provider = {};
    PROVIDER_KEYS.forEach(function (key) {
      if (has(state.provider, key)) provider[key] = state.provider[key];
    });
    if (Object.keys(provider).length && !(Object.keys(provider).length === 1 && provider.name === "")) {
      if (!has(provider, "name")) provider = Object.assign({ name: "" }, provider);
      doc.provider = provider;
    }
    doc.answers = ordered(plan, state.answers, state.orphans);
    var notes = ordered(plan, state.notes, state.orphanNotes);
    if (Object.keys(notes).length) doc.notes = notes;
    return toml.stringify(doc);
  }

  ns.emptyState = emptyState;
  ns.touch = touch;
  ns.answerProblem = answerProblem;
  ns.readResponse = readResponse;
  ns.writeResponse = writeResponse;
  ns.dateOf = function (text) { return new toml.TomlDate(text); };
})(globalThis.ketacheckForm);
