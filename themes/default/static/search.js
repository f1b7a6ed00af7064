// casepath search: reads ?q= and lists matching pages from search-index.js.
// Runs entirely in the browser; nothing typed leaves the page.
(function () {
  "use strict";
  var docs = window.CASEPATH_SEARCH || [];
  var input = document.getElementById("search-query");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!input || !status || !list) { return; }
  // Links in the index are relative to the site root; this page is one folder down.
  var root = "../";

  function words(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}@.-]+/u).filter(function (w) { return w.length > 0; });
  }

  function escape(term) {
    return term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  // Short terms (EAC, TTY) must be whole words; longer ones may be part of a word.
  function matcher(term) {
    if (term.length <= 3) {
      var word = new RegExp("(^|[^\\p{L}\\p{N}])" + escape(term) + "($|[^\\p{L}\\p{N}])", "u");
      return function (text) { return word.test(text); };
    }
    return function (text) { return text.indexOf(term) !== -1; };
  }

  function score(doc, matchers) {
    var title = doc.t.toLowerCase();
    var body = doc.b.toLowerCase();
    var total = 0;
    for (var i = 0; i < matchers.length; i++) {
      var inTitle = matchers[i](title);
      var inBody = matchers[i](body);
      if (!inTitle && !inBody) { return 0; }
      total += (inTitle ? 10 : 0) + (inBody ? 1 : 0);
    }
    return total;
  }

  function snippet(doc, terms) {
    var body = doc.b;
    var lower = body.toLowerCase();
    var at = -1;
    for (var i = 0; i < terms.length && at === -1; i++) { at = lower.indexOf(terms[i]); }
    var start = Math.max(0, at - 60);
    var text = (start > 0 ? "… " : "") + body.slice(start, start + 180) + (start + 180 < body.length ? " …" : "");
    var fragment = document.createDocumentFragment();
    var lowerText = text.toLowerCase();
    var position = 0;
    while (position < text.length) {
      var next = -1, length = 0;
      for (var j = 0; j < terms.length; j++) {
        var found = lowerText.indexOf(terms[j], position);
        if (found !== -1 && (next === -1 || found < next)) { next = found; length = terms[j].length; }
      }
      if (next === -1) { fragment.appendChild(document.createTextNode(text.slice(position))); break; }
      fragment.appendChild(document.createTextNode(text.slice(position, next)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(next, next + length);
      fragment.appendChild(mark);
      position = next + length;
    }
    return fragment;
  }

  function run(query) {
    var terms = words(query);
    list.textContent = "";
    if (terms.length === 0) {
      status.textContent = "Type a word, such as a form number, an office or a city.";
      return;
    }
    var hits = [];
    var matchers = terms.map(matcher);
    for (var i = 0; i < docs.length; i++) {
      var s = score(docs[i], matchers);
      if (s > 0) { hits.push({ doc: docs[i], score: s }); }
    }
    hits.sort(function (a, b) { return b.score - a.score; });
    status.textContent = hits.length === 0
      ? "Nothing found for “" + query + "”. Try fewer or other words."
      : hits.length + (hits.length === 1 ? " page" : " pages") + " found for “" + query + "”.";
    hits.slice(0, 50).forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = root + hit.doc.u;
      link.textContent = hit.doc.t;
      var kind = document.createElement("span");
      kind.className = "kind-label";
      kind.textContent = " " + hit.doc.k;
      var text = document.createElement("p");
      text.appendChild(snippet(hit.doc, terms));
      item.appendChild(link);
      item.appendChild(kind);
      item.appendChild(text);
      list.appendChild(item);
    });
  }

  var query = new URLSearchParams(window.location.search).get("q") || "";
  input.value = query;
  run(query);
  input.addEventListener("input", function () { run(input.value); });
}());
