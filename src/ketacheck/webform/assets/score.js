// ketacheck offline form: the scoring interpreter.
//
// Interprets the plan that Python compiled from the checklist (ketacheck/webform/_plan.py):
// it follows the rules of DESIGN §5 step by step, in checklist order, adding the very
// floats Python adds in the same order, so that score(plan, ...) equals Python's
// score(...).to_dict(). Answers use Python's shapes: "yes"/"no", an option id, an array of
// option ids, a number, a string, or "unknown". No data is ever run as code.
(function (ns) {
  "use strict";

  var UNKNOWN = "unknown";
  var BEFORE_AFTER = 1;
  var DURING = 2;

  function has(map, key) {
    return Object.prototype.hasOwnProperty.call(map, key);
  }

  // The item's answer unless it is missing or "unknown".
  function realAnswer(visible, id) {
    if (!has(visible, id)) return null;
    var value = visible[id];
    return value === UNKNOWN ? null : value;
  }

  function isNumber(value) {
    return typeof value === "number" || typeof value === "bigint";
  }

  // Whether a condition (in its TOML form: {item, is}, {all: [...]}, ...) holds.
  function holds(cond, visible) {
    if (has(cond, "all")) return cond.all.every(function (c) { return holds(c, visible); });
    if (has(cond, "any")) return cond.any.some(function (c) { return holds(c, visible); });
    if (has(cond, "not")) return !holds(cond.not, visible);
    if (has(cond, "answered")) return has(visible, cond.item) === cond.answered;
    var answer = realAnswer(visible, cond.item);
    if (has(cond, "is")) return answer === cond.is;
    if (has(cond, "includes")) return Array.isArray(answer) && answer.indexOf(cond.includes) >= 0;
    if (has(cond, "any-of")) {
      var values = cond["any-of"];
      if (Array.isArray(answer)) return answer.some(function (v) { return values.indexOf(v) >= 0; });
      return answer !== null && values.indexOf(answer) >= 0;
    }
    if (has(cond, "at-least")) return isNumber(answer) && answer >= cond["at-least"];
    if (has(cond, "below")) return isNumber(answer) && answer < cond.below;
    throw new Error("unknown condition form: " + Object.keys(cond).join(", "));
  }

  function warning(item, answer, place) {
    return { red: place.red_flag ? [{ item: item.id, answer: answer, reason: place.red_flag }] : [],
             caution: place.caution ? [{ item: item.id, answer: answer, reason: place.caution }] : [] };
  }

  // An answer's points before weights, and the red flags and cautions it raises.
  function points(item, answer) {
    var none = { red: [], caution: [] };
    if (item.kind === "yes-no") {
      if (answer === item.good) return { p: 1, w: none };
      return { p: 0, w: warning(item, answer, item) };
    }
    if (item.kind === "choice") {
      var option = item.options.find(function (o) { return o.id === answer; });
      return { p: option.points, w: warning(item, option.id, option) };
    }
    if (item.kind === "multi") {
      var total = 0;
      var w = { red: [], caution: [] };
      item.options.forEach(function (o) {
        if (answer.indexOf(o.id) < 0) return;
        total += o.points;
        var found = warning(item, o.id, o);
        w.red = w.red.concat(found.red);
        w.caution = w.caution.concat(found.caution);
      });
      return { p: Math.min(total, item.max), w: w };
    }
    if (item.kind === "number") {
      for (var i = 0; i < item.bands.length; i++) {
        var band = item.bands[i];
        if (answer >= band.at_least) return { p: band.points, w: warning(item, answer, band) };
      }
      return { p: 0, w: none };
    }
    return { p: 0, w: none };
  }

  // Which items apply, cascading in checklist order (a condition sees only the answers of
  // items that apply themselves). Returns an array of booleans, one per item.
  function applicability(plan, answers) {
    var visible = {};
    return plan.items.map(function (item) {
      if (item.when !== null && !holds(item.when, visible)) return false;
      if (item.referenced && has(answers, item.id)) visible[item.id] = answers[item.id];
      return true;
    });
  }

  // The band: none without bands, below min-completeness or without a percent; else the
  // first band the percent reaches, lowered to red_flag_band when there is a red flag.
  // Also the band the points alone reach (uncapped).
  function band(plan, percent, completeness, redFlags) {
    var s = plan.scoring;
    var none = { band: null, capped: false, uncapped: null };
    if (s.bands.length === 0 || completeness === null || completeness < s.min_completeness ||
        percent === null) {
      return none;
    }
    var index = s.bands.findIndex(function (b) { return percent >= b.min; });
    if (index < 0) return none;
    var reached = s.bands[index].label;
    if (redFlags > 0) {
      var cap = s.bands.findIndex(function (b) { return b.label === s.red_flag_band; });
      if (cap > index) return { band: s.bands[cap].label, capped: true, uncapped: reached };
    }
    return { band: reached, capped: false, uncapped: reached };
  }

  function subtotals(ids, offset, sums, maxima) {
    var out = {};
    ids.forEach(function (id, i) {
      var p = sums[offset + i];
      var m = maxima[offset + i];
      out[id] = { points: p, max_points: m, percent: m ? 100 * (p / m) : null };
    });
    return out;
  }

  function careModel(during, beforeAfter, duringInformative) {
    if (during) return "psychotherapy-integrated";
    if (beforeAfter) return "therapy-supported";
    if (duringInformative) return "medication-only";
    return "undetermined";
  }

  // What one applicable item contributes under weight *w*: its status ("answered",
  // "unknown" or "unanswered"), weighted points wp of wm, warnings, and for the care model
  // whether it shows therapy (points > 0 before weights) and is informative.
  function contribution(plan, item, answers, w) {
    var none = { red: [], caution: [] };
    if (!has(answers, item.id)) {
      var wmNone = plan.scoring.unanswered === "skip" ? 0 : w * item.max;
      return { status: "unanswered", wp: 0, wm: wmNone, w: none, shows: false, informative: false };
    }
    var answer = answers[item.id];
    if (answer === UNKNOWN) {
      var flag = [{ item: item.id, answer: UNKNOWN, reason: item.unknown_reason }];
      return {
        status: "unknown", wp: 0, wm: plan.scoring.unknown === "skip" ? 0 : w * item.max,
        w: { red: item.if_unknown === "red-flag" ? flag : [], caution: item.if_unknown === "caution" ? flag : [] },
        shows: false, informative: false,
      };
    }
    var got = points(item, answer);
    return { status: "answered", wp: w * got.p, wm: w * item.max, w: got.w, shows: got.p > 0,
             informative: item.kind !== "text" };
  }

  // The score of *answers* under the profile at *profileIndex* of plan.profiles, shaped
  // exactly like Python's Score.to_dict(). When *details* is given ({items: []}), what each
  // applicable item earned and could earn is added to it, with the counts of applicable
  // and answered items.
  function score(plan, answers, profileIndex, providerName, details) {
    var weights = plan.profiles[profileIndex].weights;
    var ns = plan.subtotals.sections.length, np = plan.subtotals.phases.length;
    var sums = new Array(ns + np + plan.subtotals.tags.length).fill(0);
    var maxima = sums.slice();
    var total = 0, max = 0, applicable = 0, answered = 0;
    var red = [], cautions = [], unknown = [], unanswered = [];
    var during = false, beforeAfter = false, duringInformative = false;
    var applies = applicability(plan, answers);
    plan.items.forEach(function (item, i) {
      if (!applies[i]) return;
      applicable += 1;
      var c = contribution(plan, item, answers, weights[i]);
      if (c.status === "unanswered") unanswered.push(item.id); else answered += 1;
      if (c.status === "unknown") unknown.push(item.id);
      red = red.concat(c.w.red);
      cautions = cautions.concat(c.w.caution);
      if (item.therapy === DURING) {
        during = during || c.shows;
        duringInformative = duringInformative || c.informative;
      } else if (item.therapy === BEFORE_AFTER) {
        beforeAfter = beforeAfter || c.shows;
      }
      if (details) details.items.push({ item: item.id, points: c.wp, max_points: c.wm, answered: c.status !== "unanswered" });
      if (c.wm) {
        total += c.wp;
        max += c.wm;
        item.buckets.forEach(function (b) { sums[b] += c.wp; maxima[b] += c.wm; });
      }
    });
    var percent = max ? 100 * (total / max) : null;
    var completeness = applicable ? answered / applicable : null;
    var banded = band(plan, percent, completeness, red.length);
    if (details) {
      details.applicable = applicable;
      details.answered = answered;
      details.uncapped = banded.uncapped;
    }
    return {
      checklist: plan.checklist.id,
      checklist_version: plan.checklist.version,
      provider: providerName,
      points: total,
      max_points: max,
      percent: percent,
      band: banded.band,
      band_capped: banded.capped,
      completeness: completeness,
      care_model: careModel(during, beforeAfter, duringInformative),
      red_flags: red,
      cautions: cautions,
      unknown: unknown,
      unanswered: unanswered,
      sections: subtotals(plan.subtotals.sections, 0, sums, maxima),
      phases: subtotals(plan.subtotals.phases, ns, sums, maxima),
      tags: subtotals(plan.subtotals.tags, ns + np, sums, maxima),
    };
  }

  // How many more answers a band needs under min-completeness (0 when it has enough).
  function answersNeeded(plan, details) {
    var k = 0;
    while (details.answered + k < details.applicable &&
           (details.answered + k) / details.applicable < plan.scoring.min_completeness) k++;
    return k;
  }

  // The items that lost the most weighted points, biggest first (ties in checklist order),
  // as Score.costs() lists them (unanswered items too, when they count zero).
  function costliest(details, limit) {
    return details.items
      .map(function (d) {
        return { item: d.item, lost: d.max_points - d.points, max_points: d.max_points, answered: d.answered };
      })
      .filter(function (d) { return d.lost > 0; })
      .sort(function (a, b) { return b.lost - a.lost; })
      .slice(0, limit);
  }

  ns.UNKNOWN = UNKNOWN;
  ns.holds = holds;
  ns.applicability = applicability;
  ns.score = score;
  ns.answersNeeded = answersNeeded;
  ns.costliest = costliest;
})(globalThis.ketacheckForm = globalThis.ketacheckForm || {});
