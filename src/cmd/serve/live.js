// casepath live preview. `casepath serve` adds this script to the pages it serves; the
// built site never contains it. It listens for changes on the page's own origin, reloads the
// page when it changed, and shows a failed build's errors over the page until they are fixed.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.EventSource || !window.URL) {
    return;
  }
  var query = script.getAttribute("data-casepath-live") || "";
  var url = new URL("/__casepath/events?" + query, window.location.href);
  var OVERLAY = "casepath-error";
  var source = null;

  function overlay() {
    var box = document.getElementById(OVERLAY);
    if (box) {
      return box;
    }
    box = document.createElement("section");
    box.id = OVERLAY;
    box.setAttribute("data-casepath-overlay", "");
    box.setAttribute("role", "alert");
    box.setAttribute("aria-labelledby", OVERLAY + "-title");
    box.style.cssText =
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;" +
      "padding:1.5rem;background:#fff;color:#111;" +
      "border-top:0.5rem solid #b00020;font:16px/1.5 system-ui,sans-serif;text-align:left";
    var title = document.createElement("h2");
    title.id = OVERLAY + "-title";
    title.textContent = "The site could not be rebuilt";
    title.style.cssText = "margin:0 0 0.5rem;font-size:1.5rem;color:#b00020";
    var note = document.createElement("p");
    note.textContent =
      "Under this message is the last version that built. Fix the problem and save the " +
      "file: this page reloads by itself.";
    note.style.cssText = "margin:0 0 1rem";
    var pre = document.createElement("pre");
    pre.style.cssText =
      "margin:0 0 1rem;padding:1rem;overflow:auto;white-space:pre-wrap;background:#f4f4f4;" +
      "color:#111;border:1px solid #ccc;font:14px/1.4 ui-monospace,monospace";
    var hide = document.createElement("button");
    hide.type = "button";
    hide.textContent = "Hide until the next change";
    hide.style.cssText = "font:inherit;padding:0.25rem 0.75rem";
    hide.addEventListener("click", clear);
    box.appendChild(title);
    box.appendChild(note);
    box.appendChild(pre);
    box.appendChild(hide);
    document.body.appendChild(box);
    return box;
  }

  function show(text) {
    overlay().querySelector("pre").textContent = text;
  }

  function clear() {
    var box = document.getElementById(OVERLAY);
    if (box && box.hasAttribute("data-casepath-overlay")) {
      box.parentNode.removeChild(box);
    }
  }

  // A page listens only while it is shown: browsers allow six connections to one server, and
  // each listening tab holds one. A tab shown again listens again, and the server tells it at
  // once whether it is out of date or the build is broken.
  function listen() {
    if (source) {
      return;
    }
    source = new EventSource(url.href);
    source.addEventListener("hello", function (event) {
      if (!JSON.parse(event.data).error) {
        clear();
      }
    });
    source.addEventListener("build-error", function (event) {
      show(JSON.parse(event.data).text);
    });
    source.addEventListener("reload", function () {
      source.close();
      window.location.reload();
    });
    // Too many pages are listening and this one was the oldest: stop, rather than take
    // another page's place; showing the page again listens again.
    source.addEventListener("closed", stop);
  }

  function stop() {
    if (source) {
      source.close();
      source = null;
    }
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      stop();
    } else {
      listen();
    }
  });
  if (!document.hidden) {
    listen();
  }
})();
