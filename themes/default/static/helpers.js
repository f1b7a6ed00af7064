// casepath helpers: the receipt-number lookup and the deadline calculator.
// Plain JavaScript, no framework, no request to any host: everything runs in the browser
// from the tables already on the page, which also serve readers without JavaScript.
(function () {
  "use strict";

  var DAY = 24 * 60 * 60 * 1000;

  // ---- Receipt numbers ------------------------------------------------------------------

  // Reads a receipt number: three letters and ten digits, spaces and dashes ignored.
  // `known` lists the prefixes the guide knows. Returns {ok, prefix, digits} or {ok:false, error}.
  function parseReceipt(value, known) {
    var text = String(value || "").replace(/[\s\-–]/g, "").toUpperCase();
    if (text.length === 0) {
      return { ok: false, error: "Type your receipt number. It is on your receipt notice." };
    }
    var prefix = text.slice(0, 3);
    if (!/^[A-Z]{3}$/.test(prefix)) {
      return { ok: false, error: "A receipt number starts with three letters, such as EAC. Yours starts with “" + prefix + "”." };
    }
    var digits = text.slice(3);
    for (var i = 0; i < digits.length; i++) {
      if (!/[0-9]/.test(digits[i])) {
        return { ok: false, error: "After the three letters come ten digits. Character " + (i + 4) + " is “" + digits[i] + "”, not a digit." };
      }
    }
    if (text.length !== 13) {
      return { ok: false, error: "A receipt number has 13 characters: three letters and ten digits. Yours has " + text.length + "." };
    }
    if (known.indexOf(prefix) === -1) {
      return { ok: false, error: "The sources name four prefixes: " + known.join(", ") + ". " + prefix + " is not one of them. Check your notice, or ask the Contact Center." };
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
    var rows = Array.prototype.slice.call(section.querySelectorAll("tr[data-prefix]"));
    var known = rows.map(function (r) { return r.getAttribute("data-prefix"); });
    var input = form.querySelector("input");
    var result = form.querySelector(".helper-result");
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      result.textContent = "";
      var parsed = parseReceipt(input.value, known);
      if (!parsed.ok) {
        result.appendChild(element("p", parsed.error, { "class": "helper-error" }));
        input.setAttribute("aria-invalid", "true");
        return;
      }
      input.removeAttribute("aria-invalid");
      var row = rows[known.indexOf(parsed.prefix)];
      var found = element("p");
      found.appendChild(document.createTextNode(parsed.prefix + " means your case is at the "));
      found.appendChild(element("a", row.getAttribute("data-office"), { href: row.getAttribute("data-office-url") }));
      found.appendChild(document.createTextNode("."));
      result.appendChild(found);
      var email = row.getAttribute("data-email");
      if (email) {
        var mail = element("p", "Its follow-up email: ");
        mail.appendChild(element("a", email, { href: "mailto:" + email }));
        var withdrawn = row.getAttribute("data-withdrawn");
        mail.appendChild(document.createTextNode(withdrawn
          ? ". It is no longer published in " + withdrawn + ", so it may not work."
          : "."));
        result.appendChild(mail);
      }
      var step = row.getAttribute("data-step-url");
      if (step) {
        var next = element("p", "What to do: ");
        next.appendChild(element("a", row.getAttribute("data-step-name"), { href: step }));
        result.appendChild(next);
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

  function addDays(iso, days) {
    var t = toDay(iso);
    return t === null ? null : fromDay(t + days * DAY);
  }

  function readable(iso) {
    return new Date(toDay(iso)).toLocaleDateString("en-US", {
      timeZone: "UTC", weekday: "long", year: "numeric", month: "long", day: "numeric"
    });
  }

  // Works out the dates of a path: `columns` are the waits in step order
  // ({kind: "wait"|"response", step, title, after}), `days` the days of each (null when
  // the version does not say), `start` the date of the step before the first wait, and
  // `done` the dates the reader actually took steps ({step number: YYYY-MM-DD}).
  function chain(start, columns, days, done) {
    var dates = {};
    var events = [];
    if (toDay(start) === null || columns.length === 0) { return events; }
    dates[columns[0].step - 1] = start;
    done = done || {};
    for (var i = 0; i < columns.length; i++) {
      var c = columns[i];
      if (days[i] === null || days[i] === undefined) { continue; }
      if (c.kind === "wait") {
        var base = dates[c.step - 1];
        if (!base) { continue; }
        var earliest = addDays(base, days[i]);
        events.push({ kind: "wait", step: c.step, title: c.title, date: earliest, from: base, days: days[i], after: c.after });
        dates[c.step] = toDay(done[c.step]) !== null ? done[c.step] : earliest;
      } else {
        var sent = dates[c.step];
        if (!sent) { continue; }
        events.push({ kind: "response", step: c.step, title: c.title, date: addDays(sent, days[i]), from: sent, days: days[i], after: c.after });
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

  function summary(e) {
    return e.kind === "wait"
      ? "You may now do step " + e.step + ": " + e.title
      : "The answer to step " + e.step + " is due: " + e.title;
  }

  // An iCalendar file with one all-day reminder per event.
  function ics(events, now) {
    var stamp = (now || new Date()).toISOString().replace(/[-:]/g, "").replace(/\.\d+/, "");
    var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//casepath//deadline calculator//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"];
    events.forEach(function (e, i) {
      var day = e.date.replace(/-/g, "");
      lines.push("BEGIN:VEVENT");
      lines.push("UID:" + day + "-" + i + "-" + e.step + "@casepath");
      lines.push("DTSTAMP:" + stamp);
      lines.push("DTSTART;VALUE=DATE:" + day);
      lines.push("DTEND;VALUE=DATE:" + addDays(e.date, 1).replace(/-/g, ""));
      lines.push(fold("SUMMARY:" + icsText(summary(e))));
      lines.push(fold("DESCRIPTION:" + icsText(e.days + " calendar days " + e.after + " (" + e.from + ").")));
      lines.push("END:VEVENT");
    });
    lines.push("END:VCALENDAR");
    return lines.join("\r\n") + "\r\n";
  }

  function setupDeadlines(form) {
    var section = form.closest("section");
    var table = section.querySelector("table[data-helper=schedule]");
    var columns = Array.prototype.map.call(table.querySelectorAll("thead th[data-kind]"), function (th) {
      return {
        kind: th.getAttribute("data-kind"),
        step: +th.getAttribute("data-step"),
        title: th.getAttribute("data-title"),
        after: th.getAttribute("data-after")
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
    function dateField(step, text, required) {
      var id = "deadline-step-" + step;
      fields.appendChild(element("label", text, { "for": id }));
      var input = element("input", null, { id: id, type: "date" });
      if (required) { input.required = true; }
      fields.appendChild(input);
      inputs[step] = input;
    }
    dateField(first, "Date of step " + first + " (for example, your call to the Contact Center)", true);
    columns.forEach(function (c) {
      if (c.kind === "wait" && columns.some(function (d) { return d.step > c.step || (d.step === c.step && d.kind === "response"); })) {
        dateField(c.step, "Date you did step " + c.step + ", if you did (leave empty to use the earliest date)", false);
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
          first: "Enter the date of step " + first + ". Every other date counts from it.",
          invalid: "The date of step " + wrong.step + " is not a whole date. Enter the day, month and year.",
          missing: "You gave a date for step " + wrong.step + ". Enter the date you did step " + wrong.other + " too: step " + wrong.step + " counts from it.",
          before: wrong.date && "Step " + wrong.step + " is dated " + readable(wrong.date) + ", before step " + wrong.other + " (" + readable(wrong.otherDate) + "). Each step comes after the one before it: check both dates."
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
        var text = e.kind === "wait"
          ? "Step " + e.step + " (" + e.title + "): on or after " + readable(e.date) + ". That is " + e.days + " days after " + readable(e.from) + "."
          : "Answer to step " + e.step + ": due by " + readable(e.date) + ", " + e.days + " days after " + readable(e.from) + ".";
        list.appendChild(element("li", text));
      });
      result.appendChild(element("p", "Following " + row.name + ":"));
      result.appendChild(list);
      if (download) { URL.revokeObjectURL(download); }
      download = URL.createObjectURL(new Blob([ics(events)], { type: "text/calendar" }));
      result.appendChild(element("a", "Download these dates as calendar reminders (.ics)", { href: download, download: "casepath-reminders.ics" }));
    });
  }

  window.casepathHelpers = { parseReceipt: parseReceipt, addDays: addDays, chain: chain, checkDates: checkDates, ics: ics };
  Array.prototype.forEach.call(document.querySelectorAll("form[data-helper=receipt]"), setupReceipt);
  Array.prototype.forEach.call(document.querySelectorAll("form[data-helper=deadlines]"), setupDeadlines);
}());
