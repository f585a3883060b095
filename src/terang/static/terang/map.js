/* Terang: small progressive enhancement for aspiration pages. Every page works without it.
 * - #aspiration-map[data-geojson]: a Leaflet map of public items (Leaflet loaded by the page).
 * - [data-map-picker]: on the report form, pick a point on a map (Leaflet loaded only when asked)
 *   or use the device location; fills the latitude/longitude inputs.
 * - #duplicate-hints[data-url]: asks the API for similar open reports near the chosen point.
 */
(function () {
  "use strict";

  var TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
  var ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>';
  var INDONESIA = [[-11, 95], [6, 141]];

  function bounds(el) {
    var raw = (el.getAttribute("data-bounds") || "").split(",").map(Number);
    if (raw.length !== 4 || raw.some(isNaN)) return INDONESIA;
    return [[raw[0], raw[1]], [raw[2], raw[3]]];
  }

  function baseMap(el) {
    var map = L.map(el);
    L.tileLayer(el.getAttribute("data-tiles") || TILES, {
      maxZoom: 19, attribution: ATTRIBUTION
    }).addTo(map);
    map.fitBounds(bounds(el));
    return map;
  }

  function loadLeaflet(jsUrl, cssUrl, done) {
    if (window.L) { done(); return; }
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = cssUrl;
    document.head.appendChild(css);
    var script = document.createElement("script");
    script.src = jsUrl;
    script.onload = done;
    document.head.appendChild(script);
  }

  /* Public map ------------------------------------------------------------------------------ */
  function publicMap(el) {
    var status = document.getElementById("map-status");
    if (!window.L) return;
    var map = baseMap(el);
    fetch(el.getAttribute("data-geojson"), { headers: { Accept: "application/geo+json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          pointToLayer: function (feature, latlng) {
            return L.circleMarker(latlng, { radius: 7, weight: 2, color: "#0b5394" });
          },
          onEachFeature: function (feature, marker) {
            var p = feature.properties;
            var box = document.createElement("div");
            var link = document.createElement("a");
            link.href = p.url;
            link.textContent = p.title;
            var meta = document.createElement("div");
            meta.textContent = p.code + " · " + p.status_label + " · " + p.category;
            box.appendChild(link);
            box.appendChild(meta);
            marker.bindPopup(box);
          }
        }).addTo(map);
        if (data.features.length) map.fitBounds(layer.getBounds(), { maxZoom: 16 });
        if (status) {
          status.textContent = (el.getAttribute("data-label-count") || "{n}")
            .replace("{n}", data.features.length);
        }
      })
      .catch(function () {
        if (status) status.textContent = el.getAttribute("data-label-failed") || "";
      });
  }

  /* Point picker on the report form -------------------------------------------------------- */
  function picker(el) {
    var lat = document.getElementById("id_latitude");
    var lon = document.getElementById("id_longitude");
    if (!lat || !lon) return;
    var say = document.createElement("p");
    say.setAttribute("role", "status");
    var showButton = button(el.getAttribute("data-label-show"));
    var locateButton = button(el.getAttribute("data-label-locate"));
    var holder = document.createElement("div");
    holder.style.height = "300px";
    holder.hidden = true;
    var bar = document.createElement("p");
    bar.appendChild(showButton);
    bar.appendChild(document.createTextNode(" "));
    if ("geolocation" in navigator) bar.appendChild(locateButton);
    el.appendChild(bar);
    el.appendChild(holder);
    el.appendChild(say);
    var map = null;
    var marker = null;

    function place(latitude, longitude, message) {
      lat.value = latitude.toFixed(6);
      lon.value = longitude.toFixed(6);
      say.textContent = message || "";
      if (map) {
        if (marker) marker.setLatLng([latitude, longitude]);
        else marker = L.circleMarker([latitude, longitude], { radius: 9 }).addTo(map);
        map.setView([latitude, longitude], Math.max(map.getZoom(), 16));
      }
      lat.dispatchEvent(new Event("change", { bubbles: true }));
    }

    showButton.addEventListener("click", function () {
      loadLeaflet(el.getAttribute("data-leaflet-js"), el.getAttribute("data-leaflet-css"),
        function () {
          holder.hidden = false;
          showButton.hidden = true;
          map = baseMap(holder);
          if (lat.value && lon.value) place(Number(lat.value), Number(lon.value));
          map.on("click", function (e) {
            place(e.latlng.lat, e.latlng.lng, el.getAttribute("data-label-picked"));
          });
        });
    });
    locateButton.addEventListener("click", function () {
      say.textContent = el.getAttribute("data-label-locating") || "";
      navigator.geolocation.getCurrentPosition(function (pos) {
        place(pos.coords.latitude, pos.coords.longitude, el.getAttribute("data-label-located"));
      }, function () {
        say.textContent = el.getAttribute("data-label-locate-failed") || "";
      }, { enableHighAccuracy: true, timeout: 15000 });
    });
  }

  function button(label) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    return b;
  }

  /* Live duplicate hint --------------------------------------------------------------------- */
  function duplicateHints(box) {
    var form = box.closest("form");
    if (!form || !window.fetch) return;
    var timer = null;
    function value(name) {
      var field = form.elements[name];
      return field ? field.value.trim() : "";
    }
    function check() {
      var category = value("category"), lat = value("latitude"), lon = value("longitude");
      if (!category || !lat || !lon) return;
      var query = new URLSearchParams({
        category: category, lat: lat, lon: lon, text: (value("title") + " " + value("text")).trim()
      });
      fetch(box.getAttribute("data-url") + "?" + query, { headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (data) { render(Array.isArray(data) ? data : (data.items || data.results || [])); })
        .catch(function () { /* the "Periksa laporan serupa" button still works */ });
    }
    function render(items) {
      box.textContent = "";
      if (!items.length) return;
      var heading = document.createElement("h2");
      heading.textContent = box.getAttribute("data-title");
      var list = document.createElement("ul");
      items.forEach(function (item) {
        var li = document.createElement("li");
        var link = document.createElement("a");
        link.href = item.url || ("/aspirasi/" + encodeURIComponent(item.code) + "/");
        link.textContent = item.title;
        li.appendChild(link);
        li.appendChild(document.createTextNode(" (" + item.code + ", " +
          (item.status_label || item.status || "") + ") — " + box.getAttribute("data-follow")));
        list.appendChild(li);
      });
      box.appendChild(heading);
      box.appendChild(list);
    }
    form.addEventListener("change", function (e) {
      if (["category", "latitude", "longitude", "title", "text"].indexOf(e.target.name) < 0) return;
      clearTimeout(timer);
      timer = setTimeout(check, 400);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var map = document.getElementById("aspiration-map");
    if (map && map.getAttribute("data-geojson")) publicMap(map);
    var pick = document.querySelector("[data-map-picker]");
    if (pick) picker(pick);
    var hints = document.getElementById("duplicate-hints");
    if (hints && hints.getAttribute("data-url")) duplicateHints(hints);
  });
})();
