// Live updates for the control-room wall: poll the wall API and patch the page in place.
// The page is complete without this script (it reloads itself from a <noscript> refresh).
(function () {
  "use strict";
  var root = document.getElementById("wall");
  if (!root || !window.fetch) { return; }
  var api = root.getAttribute("data-api");
  var cursor = root.getAttribute("data-cursor");
  var interval = parseInt(root.getAttribute("data-interval"), 10) || 1000;
  var timeZone = root.getAttribute("data-time-zone") || "Asia/Jakarta";
  var lang = document.documentElement.lang || "id";
  var seen = {};
  var MAX_EVENTS = 200;
  Array.prototype.forEach.call(document.querySelectorAll("#wall-events li[data-key]"), function (li) {
    seen[li.getAttribute("data-key")] = true;
  });

  function clock(iso) {
    try {
      return new Date(iso).toLocaleTimeString(lang, { timeZone: timeZone, hour12: false });
    } catch (e) { return iso; }
  }

  function item(tag, event, withTime) {
    var li = document.createElement(tag);
    li.setAttribute("data-key", event.key);
    li.className = "sev-" + event.severity;
    if (withTime) {
      var time = document.createElement("time");
      time.setAttribute("datetime", event.at);
      time.textContent = clock(event.at);
      li.appendChild(time);
      li.appendChild(document.createTextNode(" "));
    }
    var src = document.createElement("span");
    src.className = "src";
    src.textContent = event.source_label;
    li.appendChild(src);
    li.appendChild(document.createTextNode(" "));
    var label = event.url ? document.createElement("a") : document.createElement("span");
    if (event.url) { label.href = event.url; }
    label.textContent = event.title;
    li.appendChild(label);
    return li;
  }

  function addEvents(events) {
    var list = document.getElementById("wall-events");
    var empty = list.querySelector("li.empty");
    for (var i = events.length - 1; i >= 0; i--) {
      var event = events[i];
      if (seen[event.key]) { continue; }
      seen[event.key] = true;
      if (empty) { empty.remove(); empty = null; }
      var li = item("li", event, true);
      li.classList.add("fresh");
      list.insertBefore(li, list.firstChild);
    }
    while (list.children.length > MAX_EVENTS) { list.removeChild(list.lastChild); }
  }

  function setCounters(counters) {
    var list = document.getElementById("wall-counters");
    counters.forEach(function (counter) {
      var li = list.querySelector('li[data-key="' + counter.key + '"]');
      if (!li) {
        li = document.createElement("li");
        li.setAttribute("data-key", counter.key);
        li.innerHTML = '<span class="value"></span> <span class="label"></span>';
        list.appendChild(li);
      }
      li.className = "sev-" + counter.severity;
      li.querySelector(".value").textContent = counter.value;
      li.querySelector(".label").textContent = counter.label;
    });
  }

  function replaceList(id, events) {
    var list = document.getElementById(id);
    if (!list) { return; }
    var fragment = document.createDocumentFragment();
    events.forEach(function (event) { fragment.appendChild(item("li", event, false)); });
    if (!events.length) {
      var empty = document.createElement("li");
      empty.className = "empty";
      empty.textContent = list.getAttribute("data-empty");
      fragment.appendChild(empty);
    }
    list.replaceChildren(fragment);
  }

  function setPoints(points) {
    var svg = document.getElementById("wall-svg");
    var group = document.getElementById("wall-points");
    if (!svg || !group) { return; }
    var minLon = parseFloat(svg.getAttribute("data-min-lon"));
    var maxLat = parseFloat(svg.getAttribute("data-max-lat"));
    var scale = parseFloat(svg.getAttribute("data-scale"));
    var lonFactor = parseFloat(svg.getAttribute("data-lon-factor"));
    var ns = "http://www.w3.org/2000/svg";
    var fragment = document.createDocumentFragment();
    points.forEach(function (point) {
      var circle = document.createElementNS(ns, "circle");
      circle.setAttribute("cx", ((point.longitude - minLon) * lonFactor * scale).toFixed(1));
      circle.setAttribute("cy", ((maxLat - point.latitude) * scale).toFixed(1));
      circle.setAttribute("r", "7");
      circle.setAttribute("fill", point.colour);
      circle.setAttribute("data-key", point.key);
      circle.setAttribute("class", "src-" + point.source);
      var title = document.createElementNS(ns, "title");
      title.textContent = point.label;
      circle.appendChild(title);
      fragment.appendChild(circle);
    });
    group.replaceChildren(fragment);
  }

  function setStatus(ok, nowIso) {
    var connection = document.getElementById("wall-connection");
    if (ok) {
      var updated = document.getElementById("wall-updated");
      updated.textContent = clock(nowIso);
      updated.setAttribute("datetime", nowIso);
      connection.textContent = "";
      connection.classList.remove("offline");
    } else {
      connection.textContent = root.getAttribute("data-offline-text");
      connection.classList.add("offline");
    }
  }

  function applyState(data) {
    setCounters(data.counters);
    replaceList("wall-breaches", data.breaches);
    replaceList("wall-ping-pong", data.ping_pong);
    setPoints(data.map_points);
    setStatus(true, data.now);
  }

  // Server-Sent Events when the city runs the stream process; polling otherwise, and as the
  // fallback when the stream keeps failing (EventSource itself retries a dropped stream).
  var stream = root.getAttribute("data-stream");
  var MAX_STREAM_FAILURES = 3;

  function listen() {
    var failures = 0;
    var source = new EventSource(stream + "?since=" + encodeURIComponent(cursor));
    source.addEventListener("events", function (message) {
      failures = 0;
      var data = JSON.parse(message.data);
      addEvents(data.events);
      cursor = data.cursor;
    });
    source.addEventListener("state", function (message) {
      failures = 0;
      applyState(JSON.parse(message.data));
    });
    source.onerror = function () {
      failures += 1;
      setStatus(false);
      if (failures >= MAX_STREAM_FAILURES) {
        source.close();
        window.setTimeout(poll, interval);
      }
    };
  }

  function poll() {
    fetch(api + "?since=" + encodeURIComponent(cursor), {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (data) {
      addEvents(data.events);
      applyState(data);
      cursor = data.cursor;
    }).catch(function () {
      setStatus(false);
    }).then(function () {
      window.setTimeout(poll, interval);
    });
  }
  if (stream && window.EventSource) {
    listen();
  } else {
    window.setTimeout(poll, interval);
  }
}());
