// casepath helpers: the case-number lookup and the deadline calculator.
// Plain JavaScript, no framework, no request to any host: everything runs in the browser
// from the tables already on the page, which also serve readers without JavaScript.
// Every word these helpers show comes from the page (the form's `data-words`, from the
// theme's string table), so a guide in another language needs no change here.
(function () {
  "use strict";

  var DAY = 24 * 60 * 60 * 1000;

  // ---- Words ----------------------------------------------------------------------------

  // A text with each {name} of `values` filled in; other braces stay as they are.
  function say(text, values) {
    return String(text === undefined ? "" : text).replace(/\{([a-z_]+)\}/g, function (whole, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  // A count in words: `forms` is {one, other} ("{n} day", "{n} days").
  function count(forms, n) {
    return forms ? say(n === 1 ? forms.one : forms.other, { n: n }) : String(n);
  }

  // The JSON of an attribute of `node`, or an empty object.
  function wordsOf(node, attribute) {
    try {
      return JSON.parse(node.getAttribute(attribute) || "{}");
    } catch (e) {
      return {};
    }
  }

  // Appends `text` to `parent` with each {name} of `values` filled in; a value that is a
  // node (a link) is appended as it is.
  function sayInto(parent, text, values) {
    var parts = String(text || "").split(/(\{[a-z_]+\})/);
    parts.forEach(function (part) {
      var m = /^\{([a-z_]+)\}$/.exec(part);
      var value = m && values && Object.prototype.hasOwnProperty.call(values, m[1]) ? values[m[1]] : null;
      if (value && typeof value === "object" && value.nodeType) {
        parent.appendChild(value);
      } else if (part) {
        parent.appendChild(document.createTextNode(value === null ? part : String(value)));
      }
    });
    return parent;
  }

  // ---- Case numbers ---------------------------------------------------------------------

  // Reads a case number: three letters and ten digits, spaces and dashes ignored. `known`
  // lists the prefixes the guide knows, `words` the messages (`receipt.script` of the
  // string table). Returns {ok, prefix, digits} or {ok:false, error}.
  function parseReceipt(value, known, words) {
    words = words || {};
    var text = String(value || "").replace(/[\s\-–]/g, "").toUpperCase();
    if (text.length === 0) {
      return { ok: false, error: say(words.empty, {}) };
    }
    var prefix = text.slice(0, 3);
    if (!/^[A-Z]{3}$/.test(prefix)) {
      return { ok: false, error: say(words.not_letters, { prefix: prefix }) };
    }
    var digits = text.slice(3);
    for (var i = 0; i < digits.length; i++) {
      if (!/[0-9]/.test(digits[i])) {
        return { ok: false, error: say(words.not_digit, { position: i + 4, character: digits[i] }) };
      }
    }
    if (text.length !== 13) {
      return { ok: false, error: say(words.length, { length: text.length }) };
    }
    if (known.indexOf(prefix) === -1) {
      return { ok: false, error: say(words.unknown, { known: known.join(", "), prefix: prefix }) };
    }
    return { ok: true, prefix: prefix, digits: digits };
  }

  function element(tag, text, attributes) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    for (var name in attributes || {}) { node.setAttribute(name, attributes[name]); }
    return node;
  }

  function setupReceipt(form) {
    var section = form.closest("section");
    var words = wordsOf(form, "data-words");
    var rows = Array.prototype.slice.call(section.querySelectorAll("tr[data-prefix]"));
    var known = rows.map(function (r) { return r.getAttribute("data-prefix"); });
    var input = form.querySelector("input");
    var result = form.querySelector(".helper-result");
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      result.textContent = "";
      var parsed = parseReceipt(input.value, known, words);
      if (!parsed.ok) {
        result.appendChild(element("p", parsed.error, { "class": "helper-error" }));
        input.setAttribute("aria-invalid", "true");
        return;
      }
      input.removeAttribute("aria-invalid");
      var row = rows[known.indexOf(parsed.prefix)];
      var office = element("a", row.getAttribute("data-office"), { href: row.getAttribute("data-office-url") });
      result.appendChild(sayInto(element("p"), words.found, { prefix: parsed.prefix, office: office }));
      var email = row.getAttribute("data-email");
      if (email) {
        var withdrawn = row.getAttribute("data-withdrawn");
        var link = element("a", email, { href: "mailto:" + email });
        result.appendChild(sayInto(element("p"), withdrawn ? words.email_withdrawn : words.email, { email: link, version: withdrawn }));
      }
      var step = row.getAttribute("data-step-url");
      if (step) {
        var next = element("a", row.getAttribute("data-step-name"), { href: step });
        result.appendChild(sayInto(element("p"), words.next, { step: next }));
      }
    });
  }

  // ---- Dates ----------------------------------------------------------------------------

  // Dates are calendar days written YYYY-MM-DD and counted in UTC, so daylight saving
  // changes and time zones never move a day.
  function toDay(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!m) { return null; }
    var t = Date.UTC(+m[1], +m[2] - 1, +m[3]);
    var d = new Date(t);
    return d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3] ? t : null;
  }

  function fromDay(t) {
    return new Date(t).toISOString().slice(0, 10);
  }

  // `days` calendar days after a date: every day counts.
  function addDays(iso, days) {
    var t = toDay(iso);
    return t === null ? null : fromDay(t + days * DAY);
  }

  // `days` business days after a date: Mondays to Fridays count, Saturdays and Sundays do
  // not. Public holidays are not known here (the page says so).
  function addBusinessDays(iso, days) {
    var t = toDay(iso);
    if (t === null) { return null; }
    var left = days;
    while (left > 0) {
      t += DAY;
      var weekday = new Date(t).getUTCDay();
      if (weekday !== 0 && weekday !== 6) { left--; }
    }
    return fromDay(t);
  }

  // `days` after a date, counted in `unit` (`calendar_days` or `business_days`).
  function addIn(unit, iso, days) {
    return unit === "business_days" ? addBusinessDays(iso, days) : addDays(iso, days);
  }

  function readable(iso, locale) {
    return new Date(toDay(iso)).toLocaleDateString(locale || document.documentElement.lang || "en-US", {
      timeZone: "UTC", weekday: "long", year: "numeric", month: "long", day: "numeric"
    });
  }

  // Works out the dates of a path: `columns` are the waits in step order
  // ({kind: "wait"|"response", step, title, after, unit}), `days` the days of each (null
  // when the version does not say), `start` the date of the step before the first wait, and
  // `done` the dates the reader actually took steps ({step number: YYYY-MM-DD}). A column's
  // days are counted in its unit: calendar days unless it says `business_days`.
  function chain(start, columns, days, done) {
    var dates = {};
    var events = [];
    if (toDay(start) === null || columns.length === 0) { return events; }
    dates[columns[0].step - 1] = start;
    done = done || {};
    for (var i = 0; i < columns.length; i++) {
      var c = columns[i];
      var unit = c.unit || "calendar_days";
      if (days[i] === null || days[i] === undefined) { continue; }
      if (c.kind === "wait") {
        var base = dates[c.step - 1];
        if (!base) { continue; }
        var earliest = addIn(unit, base, days[i]);
        events.push({ kind: "wait", step: c.step, title: c.title, date: earliest, from: base, days: days[i], unit: unit, after: c.after });
        dates[c.step] = toDay(done[c.step]) !== null ? done[c.step] : earliest;
      } else {
        var sent = dates[c.step];
        if (!sent) { continue; }
        events.push({ kind: "response", step: c.step, title: c.title, date: addIn(unit, sent, days[i]), from: sent, days: days[i], unit: unit, after: c.after });
      }
    }
    return events;
  }

  // Checks the dates a reader gave: `order` lists the steps that have a date field, in
  // order, and `done` their dates ({step number: YYYY-MM-DD}). Each step comes after the one
  // before it, so a date before an earlier step's is a mistake, and a step's date needs the
  // date of the step before it, which it counts from.
  // Returns null, or {step, problem: "invalid" | "before" | "missing", other, date, otherDate}.
  function checkDates(order, done) {
    for (var i = 0; i < order.length; i++) {
      var step = order[i];
      var previous = order[i - 1];
      if (!done[step]) { continue; }
      if (toDay(done[step]) === null) { return { step: step, problem: "invalid" }; }
      if (i === 0) { continue; }
      if (!done[previous]) { return { step: step, problem: "missing", other: previous }; }
      if (toDay(done[step]) < toDay(done[previous])) {
        return { step: step, problem: "before", other: previous, date: done[step], otherDate: done[previous] };
      }
    }
    return null;
  }

  // ---- Calendar file --------------------------------------------------------------------

  function icsText(text) {
    return String(text).replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
  }

  // Folds a content line at 75 octets, as RFC 5545 asks.
  function fold(line) {
    var out = [];
    while (line.length > 74) {
      out.push(line.slice(0, 74));
      line = " " + line.slice(74);
    }
    out.push(line);
    return out.join("\r\n");
  }

  // An iCalendar file with one all-day reminder per event, in the words of `words`
  // (`deadline.script` of the string table).
  function ics(events, now, words) {
    words = words || {};
    var stamp = (now || new Date()).toISOString().replace(/[-:]/g, "").replace(/\.\d+/, "");
    var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//casepath//deadline calculator//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"];
    events.forEach(function (e, i) {
      var day = e.date.replace(/-/g, "");
      var values = { step: e.step, title: e.title };
      var summary = say(e.kind === "wait" ? words.ics_wait : words.ics_response, values);
      var days = count((words.ics_days || {})[e.unit || "calendar_days"], e.days);
      lines.push("BEGIN:VEVENT");
      lines.push("UID:" + day + "-" + i + "-" + e.step + "@casepath");
      lines.push("DTSTAMP:" + stamp);
      lines.push("DTSTART;VALUE=DATE:" + day);
      lines.push("DTEND;VALUE=DATE:" + addDays(e.date, 1).replace(/-/g, ""));
      lines.push(fold("SUMMARY:" + icsText(summary)));
      lines.push(fold("DESCRIPTION:" + icsText(say(words.ics_description, { days: days, after: e.after, from: e.from }))));
      lines.push("END:VEVENT");
    });
    lines.push("END:VCALENDAR");
    return lines.join("\r\n") + "\r\n";
  }

  function setupDeadlines(form) {
    var section = form.closest("section");
    var words = wordsOf(form, "data-words");
    var units = wordsOf(form, "data-units");
    var table = section.querySelector("table[data-helper=schedule]");
    var columns = Array.prototype.map.call(table.querySelectorAll("thead th[data-kind]"), function (th) {
      return {
        kind: th.getAttribute("data-kind"),
        step: +th.getAttribute("data-step"),
        title: th.getAttribute("data-title"),
        after: th.getAttribute("data-after"),
        unit: th.getAttribute("data-unit") || "calendar_days"
      };
    });
    if (columns.length === 0) { return; }
    var rows = Array.prototype.map.call(table.querySelectorAll("tbody tr"), function (tr) {
      return {
        id: tr.getAttribute("data-version"),
        name: tr.getAttribute("data-name"),
        days: Array.prototype.map.call(tr.querySelectorAll("td"), function (td) {
          return td.hasAttribute("data-days") ? +td.getAttribute("data-days") : null;
        })
      };
    });
    var fields = form.querySelector(".helper-fields");
    var first = columns[0].step - 1;
    var inputs = {};
    var date = function (iso) { return readable(iso, words.locale); };
    function dateField(step, text, required) {
      var id = "deadline-step-" + step;
      fields.appendChild(element("label", text, { "for": id }));
      var input = element("input", null, { id: id, type: "date" });
      if (required) { input.required = true; }
      fields.appendChild(input);
      inputs[step] = input;
    }
    dateField(first, say(words.first_date, { step: first }), true);
    columns.forEach(function (c) {
      if (c.kind === "wait" && columns.some(function (d) { return d.step > c.step || (d.step === c.step && d.kind === "response"); })) {
        dateField(c.step, say(words.done_date, { step: c.step }), false);
      }
    });
    var select = form.querySelector("select");
    rows.forEach(function (r) { select.appendChild(element("option", r.name, { value: r.id })); });
    var result = form.querySelector(".helper-result");
    var download = null;
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      result.textContent = "";
      var row = rows[select.selectedIndex] || rows[0];
      var done = {};
      Object.keys(inputs).forEach(function (k) {
        inputs[k].removeAttribute("aria-invalid");
        inputs[k].removeAttribute("aria-describedby");
        if (inputs[k].value) { done[k] = inputs[k].value; }
      });
      var order = Object.keys(inputs).map(Number).sort(function (a, b) { return a - b; });
      var wrong = toDay(inputs[first].value) === null ? { step: first, problem: "first" } : checkDates(order, done);
      if (wrong) {
        var message = {
          first: say(words.error_first, { step: first }),
          invalid: say(words.error_invalid, { step: wrong.step }),
          missing: say(words.error_missing, { step: wrong.step, other: wrong.other }),
          before: wrong.date && say(words.error_before, { step: wrong.step, date: date(wrong.date), other: wrong.other, other_date: date(wrong.otherDate) })
        }[wrong.problem];
        var bad = inputs[wrong.problem === "missing" ? wrong.other : wrong.step];
        result.appendChild(element("p", message, { "class": "helper-error", id: "deadline-error" }));
        bad.setAttribute("aria-invalid", "true");
        bad.setAttribute("aria-describedby", "deadline-error");
        return;
      }
      var events = chain(inputs[first].value, columns, row.days, done);
      var list = element("ul");
      events.forEach(function (e) {
        var values = { step: e.step, title: e.title, date: date(e.date), days: count(units[e.unit], e.days), from: date(e.from) };
        list.appendChild(element("li", say(e.kind === "wait" ? words.wait_line : words.response_line, values)));
      });
      result.appendChild(element("p", say(words.following, { version: row.name })));
      result.appendChild(list);
      if (download) { URL.revokeObjectURL(download); }
      download = URL.createObjectURL(new Blob([ics(events, null, words)], { type: "text/calendar" }));
      result.appendChild(element("a", say(words.download, {}), { href: download, download: "casepath-reminders.ics" }));
    });
  }

  window.casepathHelpers = { parseReceipt: parseReceipt, addDays: addDays, addBusinessDays: addBusinessDays, chain: chain, checkDates: checkDates, ics: ics, say: say };
  Array.prototype.forEach.call(document.querySelectorAll("form[data-helper=receipt]"), setupReceipt);
  Array.prototype.forEach.call(document.querySelectorAll("form[data-helper=deadlines]"), setupDeadlines);
}());
