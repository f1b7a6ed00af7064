// casepath search: reads ?q= and lists matching pages from search-index.js.
// Runs entirely in the browser; nothing typed leaves the page. The words it shows come
// from the page (the data-* attributes of the results list), so the theme can change them.
(function () {
  "use strict";
  var input = document.getElementById("search-query");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!input || !status || !list) { return; }
  status.hidden = false;
  // Links in the index are relative to the site root; this page is one folder down.
  var root = "../";
  // What only an unofficial source says is wrapped in these (see src/search.rs).
  var START = "\u0001";
  var END = "\u0002";

  function say(name, values) {
    return (list.getAttribute("data-" + name) || "").replace(/\{(\w+)\}/g, function (_, key) {
      return values && values[key] !== undefined ? values[key] : "";
    });
  }

  // Each document's text without the marks, and where its unofficial parts are.
  var docs = (window.CASEPATH_SEARCH || []).map(function (doc) {
    var text = "";
    var ranges = [];
    var open = -1;
    for (var i = 0; i < doc.b.length; i++) {
      var c = doc.b.charAt(i);
      if (c === START) { open = text.length; } else if (c === END) {
        if (open !== -1) { ranges.push([open, text.length]); }
        open = -1;
      } else { text += c; }
    }
    return { title: doc.t, url: doc.u, kind: doc.k, unofficial: !!doc.v, text: text, unverified: ranges };
  });

  function words(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}@.-]+/u).filter(function (w) { return w.length > 0; });
  }

  function escape(term) {
    return term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  // Short terms (EAC, LIN, TTY) must be whole words; longer ones may be part of a word.
  // The pattern's group 1 is what comes before the term, so a match's term starts at
  // match.index + match[1].length.
  function pattern(term) {
    var body = "(" + escape(term) + ")";
    return term.length <= 3
      ? "(^|[^\\p{L}\\p{N}])" + body + "(?=$|[^\\p{L}\\p{N}])"
      : "()" + body;
  }

  // Where each term occurs in a text: [[start, end], ...] in order.
  function find(text, patterns) {
    var found = [];
    patterns.forEach(function (p) {
      var re = new RegExp(p, "giu");
      var m;
      while ((m = re.exec(text)) !== null) {
        var start = m.index + m[1].length;
        found.push([start, start + m[2].length]);
        if (m[0].length === 0) { re.lastIndex += 1; }
      }
    });
    return found.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
  }

  function score(doc, patterns) {
    var total = 0;
    for (var i = 0; i < patterns.length; i++) {
      var re = new RegExp(patterns[i], "iu");
      var inTitle = re.test(doc.title);
      var inBody = re.test(doc.text);
      if (!inTitle && !inBody) { return 0; }
      total += (inTitle ? 10 : 0) + (inBody ? 1 : 0);
    }
    return total;
  }

  function label(className, text) {
    var strong = document.createElement("strong");
    strong.className = className;
    strong.textContent = text;
    return strong;
  }

  // About 180 characters around the first match, terms marked, and the "unverified" label
  // wherever the snippet shows something only an unofficial source says.
  function snippet(doc, patterns) {
    var hits = find(doc.text, patterns);
    var first = hits.length ? hits[0][0] : 0;
    var start = Math.max(0, first - 60);
    var end = Math.min(doc.text.length, start + 180);
    var fragment = document.createDocumentFragment();
    if (start > 0) { fragment.appendChild(document.createTextNode("… ")); }
    // Cut points: marks and the starts of unofficial parts, in order.
    var events = [];
    hits.forEach(function (h) {
      if (h[0] >= start && h[1] <= end) { events.push({ at: h[0], end: h[1], kind: "mark" }); }
    });
    doc.unverified.forEach(function (r) {
      if (r[1] > start && r[0] < end) { events.push({ at: Math.max(r[0], start), end: Math.max(r[0], start), kind: "label" }); }
    });
    events.sort(function (a, b) { return a.at - b.at || (a.kind === "label" ? -1 : 1); });
    var position = start;
    events.forEach(function (e) {
      if (e.at < position) { return; }
      fragment.appendChild(document.createTextNode(doc.text.slice(position, e.at)));
      if (e.kind === "label") {
        fragment.appendChild(label("unverified", say("unverified")));
        fragment.appendChild(document.createTextNode(" "));
      } else {
        var mark = document.createElement("mark");
        mark.textContent = doc.text.slice(e.at, e.end);
        fragment.appendChild(mark);
      }
      position = e.end;
    });
    fragment.appendChild(document.createTextNode(doc.text.slice(position, end)));
    if (end < doc.text.length) { fragment.appendChild(document.createTextNode(" …")); }
    return fragment;
  }

  function run(query) {
    var terms = words(query);
    list.textContent = "";
    if (terms.length === 0) {
      status.textContent = say("empty");
      return;
    }
    var patterns = terms.map(pattern);
    var hits = [];
    for (var i = 0; i < docs.length; i++) {
      var s = score(docs[i], patterns);
      if (s > 0) { hits.push({ doc: docs[i], score: s }); }
    }
    hits.sort(function (a, b) { return b.score - a.score; });
    var values = { query: query, count: hits.length };
    status.textContent = say(hits.length === 0 ? "none" : hits.length === 1 ? "one" : "many", values);
    hits.slice(0, 50).forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = root + hit.doc.url;
      link.textContent = hit.doc.title;
      var kind = document.createElement("span");
      kind.className = "kind-label";
      kind.textContent = " " + say("kind-" + hit.doc.kind);
      item.appendChild(link);
      item.appendChild(kind);
      if (hit.doc.unofficial) {
        item.appendChild(document.createTextNode(" "));
        item.appendChild(label("unverified", say("unofficial")));
      }
      var text = document.createElement("p");
      text.appendChild(snippet(hit.doc, patterns));
      item.appendChild(text);
      list.appendChild(item);
    });
  }

  // The words stay in the address as they are typed, so going back to this page, or
  // reloading it, shows them and their results again.
  function remember(query) {
    if (!window.history || !window.history.replaceState) { return; }
    var params = new URLSearchParams(window.location.search);
    if (query) { params.set("q", query); } else { params.delete("q"); }
    var search = params.toString();
    try {
      window.history.replaceState(window.history.state, "", (search ? "?" + search : window.location.pathname) + window.location.hash);
    } catch (e) { /* some browsers refuse this on file:// pages; the words still show */ }
  }

  var query = new URLSearchParams(window.location.search).get("q") || "";
  input.value = query;
  run(query);
  input.addEventListener("input", function () {
    run(input.value);
    remember(input.value);
  });
}());
