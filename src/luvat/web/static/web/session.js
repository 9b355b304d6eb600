/* Warn a few minutes before the idle session ends, with "Stay logged in".
   The idle time and the keep-alive address come from <meta name="luvat-session">; without
   JavaScript nothing is shown, and a form saved after the time-out is kept on the server. */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="luvat-session"]');
  var box = document.getElementById("session-warning");
  if (!meta || !box) { return; }
  var idle = parseInt(meta.getAttribute("content"), 10) * 1000;
  if (!(idle > 0)) { return; }
  // Five minutes before the end, or half-way for short sessions.
  var lead = Math.min(5 * 60 * 1000, idle / 2);
  var button = box.querySelector(".session-stay");
  var ended = box.querySelector(".session-ended");
  var timer = null;
  var endTimer = null;

  function schedule() {
    window.clearTimeout(timer);
    window.clearTimeout(endTimer);
    timer = window.setTimeout(show, idle - lead);
    endTimer = window.setTimeout(showEnded, idle);
  }
  function show() {
    box.hidden = false;
    button.focus();
  }
  function showEnded() {
    box.hidden = false;
    ended.hidden = false;
    button.hidden = true;
  }
  button.addEventListener("click", function () {
    var request = new XMLHttpRequest();
    request.open("POST", meta.getAttribute("data-keep-alive"));
    request.setRequestHeader("X-CSRFToken", meta.getAttribute("data-csrf"));
    request.onload = function () {
      if (request.status === 204) {
        box.hidden = true;
        schedule();
      } else {
        showEnded();
      }
    };
    request.send();
  });
  document.addEventListener("htmx:afterRequest", schedule);
  schedule();
})();
