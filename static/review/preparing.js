// The review page shows parts that jobs are still preparing (diagram, estimate, findings) as
// placeholders marked [data-preparing]. This asks for the page again now and then and swaps in each
// part once it is ready, so a comment being typed is never lost to a reload. It gives up after a
// while and says so; reloading the page starts again.
(function () {
  "use strict";
  var delay = 2000;
  var maxDelay = 15000;
  var throttledFor = 0;
  var giveUpAt = Date.now() + 10 * 60 * 1000;

  function waiting() {
    return document.querySelectorAll("[data-part][data-preparing]");
  }

  function giveUp() {
    waiting().forEach(function (part) {
      part.querySelectorAll(".preparing").forEach(function (note) {
        note.textContent = "Still being prepared. Reload the page later to see it.";
      });
    });
  }

  function swap(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    waiting().forEach(function (part) {
      var name = part.getAttribute("data-part");
      var next = fresh.querySelector('[data-part="' + name + '"]');
      if (next && !next.hasAttribute("data-preparing")) {
        part.replaceWith(document.importNode(next, true));
      }
    });
  }

  function poll() {
    if (!waiting().length) return;
    if (Date.now() > giveUpAt) return giveUp();
    fetch(window.location.pathname, { cache: "no-store", credentials: "omit" })
      .then(function (response) {
        if (response.status === 429) {
          throttledFor = (Number(response.headers.get("Retry-After")) || 30) * 1000;
          return null;
        }
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html) swap(html);
      })
      .catch(function () {})
      .then(function () {
        delay = Math.min(delay * 1.5, maxDelay);
        window.setTimeout(poll, Math.max(delay, throttledFor));
        throttledFor = 0;
      });
  }

  window.setTimeout(poll, delay);
})();
