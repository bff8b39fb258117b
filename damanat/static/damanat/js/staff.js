/* Damanat staff pages: live regions, the live alert feed, the alert sound. No dependencies. */
(function () {
  "use strict";

  var root = document.documentElement;
  // The facility's clock, in the page language's digits, whatever the browser's zone.
  var clock = new Intl.DateTimeFormat(root.lang === "ar" ? "ar-SA-u-nu-arab-ca-gregory" : "en-GB",
    { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false,
      timeZone: root.dataset.timeZone || undefined });
  function timeNow() { return clock.format(new Date()); }

  function markLive(ok) {
    document.querySelectorAll("[data-live-status]").forEach(function (el) {
      el.classList.toggle("stale", !ok);
      if (ok) { el.querySelector("time").textContent = timeNow(); }
    });
  }

  function get(url) {
    return fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response;
      });
  }

  /* A region whose server-rendered fragment is fetched again every few seconds. */
  function startLiveRegion(el) {
    var every = parseInt(el.dataset.liveInterval || "5000", 10);
    function refresh() {
      get(el.dataset.liveUrl).then(function (r) { return r.text(); })
        .then(function (html) { el.innerHTML = html; markLive(true); })
        .catch(function () { markLive(false); })
        .finally(function () { setTimeout(refresh, every); });
    }
    setTimeout(refresh, every);
  }

  /* Sound on new alerts: optional, remembered in this browser. */
  var audio = null;
  function soundWanted() { return localStorage.getItem("damanat.alertSound") === "1"; }
  function beep() {
    if (!audio || !soundWanted()) { return; }
    var osc = audio.createOscillator(), gain = audio.createGain();
    osc.type = "square"; osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.08, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.5);
    osc.connect(gain); gain.connect(audio.destination);
    osc.start(); osc.stop(audio.currentTime + 0.5);
  }
  function setupSoundToggle(box) {
    box.checked = soundWanted();
    box.addEventListener("change", function () {
      localStorage.setItem("damanat.alertSound", box.checked ? "1" : "0");
      if (box.checked && !audio && window.AudioContext) { audio = new AudioContext(); beep(); }
    });
    // Browsers allow audio only after a gesture: any click on the page unlocks it.
    document.addEventListener("click", function () {
      if (!audio && soundWanted() && window.AudioContext) { audio = new AudioContext(); }
    }, { once: true });
  }

  /* Alert changes pushed over the WebSocket stream (the ASGI service; the session signs it in).
     Each message asks the console to fetch its rows now; reconnects with a growing pause. */
  function watchAlertStream(path, onChange, onState) {
    var pause = 1000;
    function open() {
      var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
      var socket = new WebSocket(scheme + window.location.host + path);
      socket.onopen = function () { pause = 1000; onState(true); };
      socket.onmessage = function (message) {
        if (JSON.parse(message.data).kind === "alert") { onChange(); }
      };
      socket.onclose = function () {
        onState(false);
        setTimeout(open, pause);
        pause = Math.min(pause * 2, 30000);
      };
    }
    if (path && window.WebSocket) { open(); }
  }

  /* The alert console: rows changed since the cursor are replaced, new ones put on top.
     With the stream open it fetches on each pushed change (and every half minute to be
     sure); without it, it polls every second. */
  function startAlertFeed(tbody) {
    var every = parseInt(tbody.dataset.feedInterval || "1000", 10);
    var streaming = false, timer = null, busy = false, again = false;
    function apply(data) {
      var fresh = false;
      data.rows.forEach(function (row) {
        var old = tbody.querySelector('tr[data-id="' + row.id + '"]');
        var holder = document.createElement("tbody");
        holder.innerHTML = row.html;
        var tr = holder.firstElementChild;
        if (old && tr) { old.replaceWith(tr); }
        else if (old) { old.remove(); }
        else if (tr) { tr.classList.add("fresh"); tbody.prepend(tr); fresh = fresh || row.is_new; }
      });
      var empty = tbody.querySelector("tr.empty");
      if (empty && tbody.querySelectorAll("tr[data-id]").length) { empty.remove(); }
      tbody.dataset.cursor = data.cursor;
      if (fresh) { beep(); }
    }
    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(poll, streaming ? 30000 : every);
    }
    function poll() {
      if (busy) { again = true; return; }
      busy = true;
      var url = new URL(tbody.dataset.feedUrl, window.location.href);
      url.searchParams.set("since", tbody.dataset.cursor);
      get(url.toString()).then(function (r) { return r.json(); })
        .then(function (data) { apply(data); markLive(true); })
        .catch(function () { markLive(false); })
        .finally(function () {
          busy = false;
          if (again) { again = false; poll(); } else { schedule(); }
        });
    }
    // Rows are followed once settled (a fraction of a second): fetch just after the push.
    watchAlertStream(tbody.dataset.streamUrl, function () { setTimeout(poll, 400); },
                     function (open) { streaming = open; schedule(); });
    schedule();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-autosubmit]").forEach(function (sel) {
      sel.addEventListener("change", function () { sel.form.submit(); });
    });
    document.querySelectorAll("[data-live-url]").forEach(startLiveRegion);
    document.querySelectorAll("tbody[data-feed-url]:not([data-feed-paused])").forEach(startAlertFeed);
    document.querySelectorAll("input[data-alert-sound]").forEach(setupSoundToggle);
  });
})();
