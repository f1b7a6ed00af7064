// casepath flowchart: the reader's own walk through the questions, and the drawing.
//
// A step page cannot know how the reader got there: several answers may lead to it. So
// the walk travels in the address, after `#answers=`: the index of each answer taken, from
// the first question on (`#answers=1.0.3`). The part after `#` never leaves the browser.
// This script checks the walk against the chart the page carries (<template id=walk-data>)
// and only then shows "Your answers so far"; an address without a walk, or with one that
// does not lead to this page, shows no answers at all. Every word comes from the page.
//
// On the flowchart's own page, it scrolls the drawing sideways to its first box.
(function () {
  "use strict";

  var PREFIX = "#answers=";

  // The answer indices in the address, [] for "#answers=", or null when there are none.
  function walkOf(hash) {
    if (hash.indexOf(PREFIX) !== 0) { return null; }
    var rest = hash.slice(PREFIX.length);
    if (rest === "") { return []; }
    if (!/^\d{1,3}(\.\d{1,3})*$/.test(rest)) { return null; }
    return rest.split(".").map(Number);
  }

  function address(url, walk) {
    return url + PREFIX + walk.join(".");
  }

  // The chart as far as this page needs it: every node the walk can pass.
  function chartOf(template) {
    var nodes = {};
    Array.prototype.forEach.call(template.content.querySelectorAll("p[data-id]"), function (p) {
      nodes[p.getAttribute("data-id")] = {
        url: p.getAttribute("data-url"),
        text: p.getAttribute("data-text"),
        options: Array.prototype.map.call(p.querySelectorAll("span[data-to]"), function (s) {
          return { to: s.getAttribute("data-to"), label: s.textContent };
        })
      };
    });
    return nodes;
  }

  // Follows `walk` from the start. Returns the crumbs (node, answer, walk to that node), or
  // null when the walk does not end at `here`.
  function retrace(nodes, start, here, walk) {
    var crumbs = [];
    var at = start;
    for (var i = 0; i < walk.length; i++) {
      var node = nodes[at];
      var option = node && node.options[walk[i]];
      if (!option) { return null; }
      crumbs.push({ url: node.url, text: node.text, answer: option.label, walk: walk.slice(0, i) });
      at = option.to;
    }
    return at === here ? crumbs : null;
  }

  function setupStep(data) {
    var start = data.getAttribute("data-start");
    var here = data.getAttribute("data-here");
    var walk = walkOf(window.location.hash);
    if (walk === null && here === start) { walk = []; }
    var crumbs = walk && retrace(chartOf(data), start, here, walk);
    if (!crumbs) { return; }

    // Each answer carries the walk on.
    Array.prototype.forEach.call(document.querySelectorAll("ul.answers a"), function (a, k) {
      a.setAttribute("href", address(a.getAttribute("href").split("#")[0], walk.concat([k])));
    });
    if (crumbs.length === 0) { return; }

    var last = crumbs[crumbs.length - 1];
    var back = document.getElementById("walk-back");
    if (back) {
      back.setAttribute("href", last.walk.length ? address(last.url, last.walk) : last.url);
      back.hidden = false;
    }
    var trail = document.getElementById("walk-trail").content.cloneNode(true);
    var list = trail.querySelector("ol");
    var item = document.getElementById("walk-crumb");
    crumbs.forEach(function (c) {
      var li = item.content.cloneNode(true);
      var link = li.querySelector("a");
      link.setAttribute("href", c.walk.length ? address(c.url, c.walk) : c.url);
      link.textContent = c.text;
      li.querySelector(".walk-answer").textContent = c.answer;
      list.appendChild(li);
    });
    var before = document.getElementById("trail-before");
    if (before) {
      before.parentNode.replaceChild(trail, before);
    } else {
      data.parentNode.insertBefore(trail, data);
    }
  }

  // Scrolls a drawing that is wider than its frame so that the first box is in view.
  function setupDrawing(frame) {
    var first = frame.querySelector("#flowchart-start");
    if (!first || frame.scrollWidth <= frame.clientWidth) { return; }
    var box = first.getBoundingClientRect();
    var view = frame.getBoundingClientRect();
    var centre = box.left - view.left + frame.scrollLeft + box.width / 2;
    frame.scrollLeft = Math.max(0, centre - frame.clientWidth / 2);
  }

  var data = document.getElementById("walk-data");
  if (data) { setupStep(data); }
  Array.prototype.forEach.call(document.querySelectorAll(".flowchart-scroll"), setupDrawing);
}());
