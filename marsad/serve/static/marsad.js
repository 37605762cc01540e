// marsad's map page: plain browser JavaScript, no build step, no network beyond this server.
//
// Data flow: the filter form (mirrored in the URL, so a view can be shared) ->
// GET /api/events?format=geojson -> clustered markers, the event list, the
// timeline's coloured bars. The timeline's brush writes the date fields, so it
// filters exactly like typing the dates. Clicking a marker or a list item opens
// the event panel: GET /api/events/{id}, then /api/articles/{id} for each source
// article, whose text is shown with the evidence spans highlighted.
// Live: an EventSource on /api/stream (same filters) adds, updates and removes markers and
// list entries as marsad watch or ingest stores events, marked new for a while; the Feeds
// tab shows /api/feeds.
// Analysts: GET /api/me says who is logged in (the login dialog posts to /api/login); an
// analyst's event panel has a review section (confirm, correct fields with the evidence beside
// them, merge, split, reject) whose writes carry the session's CSRF token. Provisional
// (machine) events are hollow markers, verified and edited ones filled. Every value, an
// analyst's text included, reaches the page as text (el(), textContent), never as HTML.
"use strict";

(() => {
  const CONFIG = JSON.parse(document.getElementById("marsad-config").textContent);
  const API = CONFIG.api;
  const TYPES = Object.keys(CONFIG.event_types);
  const FILTERS = ["country", "actor", "type", "status", "since", "until", "min_fatalities", "q"];
  const MAP_FIELDS = [
    "event_id", "event_date", "date_precision", "event_type", "sub_event_type", "actor1", "actor2",
    "location", "admin1", "country", "fatalities", "n_sources",
    // the review status, where this server's events have one
    ...["status", "flagged"].filter((f) => (CONFIG.fields || []).includes(f)),
  ].join(",");
  const LIST_MAX = 300;
  const $ = (id) => document.getElementById(id);
  const fmt = new Intl.NumberFormat("en");

  const state = {
    features: [], // loaded GeoJSON features (all, with or without geometry)
    total: 0,
    markers: new Map(), // event_id -> L.Marker
    statsAll: null, // promise of /api/stats over all events
    stats: null, // all events, for the timeline's grey bars and the country list
    statsMatching: null, // events matching the filters except the dates
    months: [], // timeline domain: ["2017-12", ...]
    brush: null, // [i0, i1] month indices, inclusive
    openId: null,
    opener: null,
    actorsLoaded: false,
    eventsSent: () => {}, // called when the page's big events request is on the wire
    loadSeq: 0,
    fresh: new Map(), // event_id -> {at: ms, kind: "new" | "updated"}: arrived live, not yet seen
    live: { source: null, received: 0, redraw: null },
    me: null, // GET /api/me: {name, role, roles, csrf} when logged in
    edits: 0, // writes done from this page (tests wait on it)
  };
  const NEW_FOR_MS = (CONFIG.new_for || 600) * 1000;

  // ---------- small helpers ----------

  /** Build an element; children are strings (as text, never HTML) or nodes. */
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "dataset") Object.assign(node.dataset, v);
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      node.append(c instanceof Node ? c : String(c));
    }
    return node;
  }

  /** Replace a node's children, skipping null/false ones (replaceChildren would print them as "null"). */
  function fill(node, ...children) {
    node.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  }

  // Only http(s) links are links: a feed's "javascript:..." must never become one.
  function webUrl(value) {
    if (typeof value !== "string") return null;
    try {
      const url = new URL(value, location.href);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (_) {
      return null;
    }
  }

  async function getJSON(url) {
    const resp = await fetch(url, { headers: { Accept: "application/json" } });
    let body = null;
    try {
      body = await resp.json();
    } catch (_) {
      /* not JSON: reported below */
    }
    if (!resp.ok) {
      const msg = body && body.error ? body.error.message : `${resp.status} ${resp.statusText}`;
      throw new Error(msg);
    }
    return body;
  }

  /** A write (POST/PATCH) as the logged-in user: JSON body, the session's CSRF token in a header. */
  async function send(method, path, body) {
    const resp = await fetch(`${API}${path}`, {
      method,
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRF-Token": (state.me && state.me.csrf) || "",
      },
      body: JSON.stringify(body),
    });
    let data = null;
    try {
      data = await resp.json();
    } catch (_) {
      /* not JSON: reported below */
    }
    if (!resp.ok) {
      if (resp.status === 401) { state.me = null; drawAccount(); }
      throw new Error(data && data.error ? data.error.message : `${resp.status} ${resp.statusText}`);
    }
    return data;
  }

  /** Provisional (machine output, not yet checked), verified, edited or rejected. */
  function statusOf(p) {
    return p.status || "provisional";
  }

  function typeClass(type) {
    const i = TYPES.indexOf(type);
    return i < 0 ? "tx" : `t${i}`;
  }

  function setStatus(text, isError = false) {
    const s = $("status");
    s.textContent = text;
    s.classList.toggle("error", isError);
  }

  function monthKey(d) {
    return String(d).slice(0, 7);
  }

  function lastDayOfMonth(key) {
    const [y, m] = key.split("-").map(Number);
    const d = new Date(Date.UTC(y, m, 0)).getUTCDate();
    return `${key}-${String(d).padStart(2, "0")}`;
  }

  function monthRange(first, last) {
    const out = [];
    let [y, m] = first.split("-").map(Number);
    const [ly, lm] = last.split("-").map(Number);
    while (y < ly || (y === ly && m <= lm)) {
      out.push(`${y}-${String(m).padStart(2, "0")}`);
      m += 1;
      if (m > 12) { m = 1; y += 1; }
      if (out.length > 2400) break; // 200 years: a bad date, not a real range
    }
    return out;
  }

  function eventTitle(p) {
    const what = p.sub_event_type || p.event_type || "Event";
    return p.location ? `${what} in ${p.location}` : what;
  }

  function eventLabel(p) {
    const date = p.event_date || "date unknown";
    const killed = p.fatalities ? `, ${p.fatalities} killed` : "";
    return `${eventTitle(p)}, ${date}${killed}, ${statusOf(p)}`;
  }

  // ---------- filters <-> form <-> URL ----------

  function readForm() {
    const f = {};
    for (const name of FILTERS) {
      const v = $("filters").elements[name].value.trim();
      if (v !== "") f[name] = v;
    }
    return f;
  }

  function writeForm(f) {
    for (const name of FILTERS) {
      const control = $("filters").elements[name];
      const value = f[name] || "";
      // A country from the URL may arrive before the list of countries does: keep it selectable.
      if (control.tagName === "SELECT" && value && ![...control.options].some((o) => o.value === value)) {
        control.append(el("option", { value }, value));
      }
      control.value = value;
    }
  }

  function filtersFromURL() {
    const params = new URLSearchParams(location.search);
    const f = {};
    for (const name of FILTERS) if (params.get(name)) f[name] = params.get(name);
    return { filters: f, event: params.get("event") };
  }

  /** The download links fetch every event matching the filters, in each export format. */
  function syncDownloads(filters) {
    for (const a of document.querySelectorAll("#downloads a[data-format]")) {
      a.href = `${API}/events?${new URLSearchParams({ ...filters, format: a.dataset.format })}`;
    }
  }

  function syncURL() {
    const params = new URLSearchParams(readForm());
    if (state.openId) params.set("event", state.openId);
    const qs = params.toString();
    history.replaceState(null, "", qs ? `?${qs}` : location.pathname);
  }

  // ---------- map ----------

  // Without tiles, zooming past ~10 shows nothing more (1:50m outlines): stop there, spiderfy sooner.
  const map = L.map("map", { worldCopyJump: true, minZoom: 2, maxZoom: CONFIG.tiles ? 18 : 10, zoomSnap: 0.5 });
  map.attributionControl.addAttribution("Outlines: Natural Earth");
  map.setView([30, 20], 2);
  if (CONFIG.tiles) {
    L.tileLayer(CONFIG.tiles, { attribution: "Tiles: see server settings", maxZoom: 18 }).addTo(map);
  }

  async function loadBasemap(notBefore) {
    const world = await getJSON(CONFIG.basemap);
    // Turning 750 kB of TopoJSON into outlines holds the main thread for a while: let the
    // events request go out first, so the markers do not wait behind the outlines.
    await notBefore;
    performance.mark("marsad:basemap-fetched");
    const countries = topojson.feature(world, world.objects.countries);
    // Antarctica cannot be drawn in Web Mercator (its ring runs along the pole); no one needs it here.
    countries.features = countries.features.filter((f) => f.id !== "010");
    for (const f of countries.features) unwrapAntimeridian(f.geometry);
    L.geoJSON(countries, {
      interactive: false,
      renderer: L.canvas({ padding: 0.5 }), // thousands of outline vertices: canvas draws them far faster than SVG
      style: { color: "#8a8f98", weight: 0.8, fillColor: "#f4f1ea", fillOpacity: CONFIG.tiles ? 0.2 : 1 },
    }).addTo(map).bringToBack();
    if (!CONFIG.tiles) addCountryLabels(countries);
    performance.mark("marsad:basemap");
  }

  /**
   * Rings that cross the antimeridian (Russia, Fiji) jump from 180 to -180 and would be drawn
   * as a band across the whole world: continue them past 180 instead (Leaflet draws that fine).
   */
  function unwrapAntimeridian(geometry) {
    if (!geometry) return;
    const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
    for (const polygon of polygons) {
      for (const ring of polygon) {
        let shift = 0;
        for (let i = 1; i < ring.length; i++) {
          const d = ring[i][0] + shift - ring[i - 1][0];
          if (d > 180) shift -= 360;
          else if (d < -180) shift += 360;
          ring[i] = [ring[i][0] + shift, ring[i][1]];
        }
      }
    }
  }

  /** Country names at the middle of each country's largest part, from zoom 4: orientation without tiles. */
  function addCountryLabels(countries) {
    const labels = L.layerGroup();
    for (const f of countries.features) {
      const name = f.properties && f.properties.name;
      if (!name || !f.geometry) continue;
      const polys = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
      let best = null;
      let bestArea = 0;
      for (const poly of polys) {
        const ring = poly[0];
        let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
        for (const [x, y] of ring) {
          minX = Math.min(minX, x); maxX = Math.max(maxX, x);
          minY = Math.min(minY, y); maxY = Math.max(maxY, y);
        }
        const area = (maxX - minX) * (maxY - minY);
        if (area > bestArea) { bestArea = area; best = [(minY + maxY) / 2, (minX + maxX) / 2]; }
      }
      if (!best || bestArea < 0.5) continue;
      labels.addLayer(L.marker(best, {
        icon: L.divIcon({ className: "country-label", html: "<span></span>", iconSize: null }),
        interactive: false,
        keyboard: false,
      }).on("add", (e) => { e.target.getElement().firstChild.textContent = name; }));
    }
    const toggle = () => {
      if (map.getZoom() >= 4) labels.addTo(map);
      else labels.remove();
    };
    if (state.labelToggle) map.off("zoomend", state.labelToggle);
    state.labelToggle = toggle;
    map.on("zoomend", toggle);
    toggle();
  }

  // ---------- place names ----------
  // Zoomed in, the outlines alone do not say which dot is Kharkiv and which Belgorod: the
  // most populous towns in view are labelled, from the server's own gazetteer (never
  // fetched at page load, never from elsewhere), more of them the closer the zoom.
  const PLACE_ZOOM = 5;
  map.createPane("places").style.zIndex = 450; // above the outlines, below the markers
  const placeLayer = L.layerGroup();
  let placeSeq = 0;
  let placeTimer = null;

  function placeLimit(zoom) {
    return Math.min(400, Math.round(25 * Math.pow(1.7, zoom - PLACE_ZOOM)));
  }

  async function loadPlaces() {
    const seq = placeSeq; // moveend bumps it: an answer for an earlier view is dropped
    const view = `${map.getZoom()}@${map.getCenter().lat.toFixed(2)},${map.getCenter().lng.toFixed(2)}`;
    if (map.getZoom() < PLACE_ZOOM) {
      placeLayer.remove();
      document.body.dataset.places = "0";
      return;
    }
    const b = map.getBounds();
    const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));
    let west = b.getWest();
    let east = b.getEast();
    if (east - west >= 360) { west = -180; east = 180; }
    const params = new URLSearchParams({
      west: clamp(west, -540, 540).toFixed(3),
      south: clamp(b.getSouth(), -90, 90).toFixed(3),
      east: clamp(east, -540, 540).toFixed(3),
      north: clamp(b.getNorth(), -90, 90).toFixed(3),
      limit: String(placeLimit(map.getZoom())),
    });
    const { places, regions } = await getJSON(`${API}/places?${params}`);
    if (seq !== placeSeq) return; // the view moved on meanwhile
    placeLayer.clearLayers();
    const taken = []; // screen boxes of the labels placed so far: a smaller town never covers a larger one
    const overlaps = (a, b) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
    const place = (p, className, centred) => {
      const pt = map.latLngToContainerPoint([p.lat, p.lon]);
      const w = (className === "region-label" ? 7.5 : 6.5) * p.name.length + 8;
      const box = centred
        ? { x1: pt.x - w / 2, x2: pt.x + w / 2, y1: pt.y - 9, y2: pt.y + 9 }
        : { x1: pt.x - 4, x2: pt.x + w, y1: pt.y - 8, y2: pt.y + 8 };
      if (taken.some((t) => overlaps(t, box))) return false;
      taken.push(box);
      placeLayer.addLayer(L.marker([p.lat, p.lon], {
        pane: "places",
        icon: L.divIcon({ className, html: "<span></span>", iconSize: null }),
        interactive: false,
        keyboard: false,
      }).on("add", (e) => { e.target.getElement().firstChild.textContent = p.name; }));
      return true;
    };
    // First-level divisions name the map between country and town (until towns fill it).
    let nRegions = 0;
    if (map.getZoom() <= 8) for (const r of (regions || []).slice(0, 40)) nRegions += place(r, "region-label", true) ? 1 : 0;
    let nTowns = 0;
    for (const p of places) nTowns += place(p, "place-label", false) ? 1 : 0;
    placeLayer.addTo(map);
    document.body.dataset.places = String(nTowns);
    document.body.dataset.regions = String(nRegions);
    document.body.dataset.placesView = view;
  }

  map.on("moveend", () => {
    placeSeq += 1;
    clearTimeout(placeTimer);
    placeTimer = setTimeout(() => loadPlaces().catch((err) => console.warn("places:", err)), 150);
  });

  function clusterIcon(cluster) {
    const markers = cluster.getAllChildMarkers();
    const counts = new Map();
    let killed = 0;
    for (const m of markers) {
      counts.set(m.eventType, (counts.get(m.eventType) || 0) + 1);
      killed += m.fatalities || 0;
    }
    // A ring showing the mix of event types: the same colours as single markers.
    let acc = 0;
    const stops = [];
    for (const [type, n] of [...counts.entries()].sort((a, b) => b[1] - a[1])) {
      const from = (acc / markers.length) * 360;
      acc += n;
      const to = (acc / markers.length) * 360;
      stops.push(`var(--${typeClass(type)}) ${from}deg ${to}deg`);
    }
    const n = markers.length;
    const size = Math.round(30 + Math.min(26, 7 * Math.log10(n)));
    const html =
      `<span class="ring" style="background:conic-gradient(${stops.join(",")})"></span>` +
      `<span class="count" aria-hidden="true">${fmt.format(n)}</span>` +
      `<span class="sr">${fmt.format(n)} events, ${fmt.format(killed)} killed: press Enter to zoom in</span>`;
    // A cluster holding an event that arrived live is marked like the event's own marker.
    const fresh = markers.some((m) => state.fresh.has(m.eventId));
    return L.divIcon({ html, className: fresh ? "ev-cluster fresh" : "ev-cluster", iconSize: [size, size] });
  }

  // markercluster's zoomToShowLayer leaves a moveend handler that asks map.hasLayer(marker.__parent);
  // once the marker is gone (an event merged away or rejected meanwhile) that is undefined, which
  // Leaflet's hasLayer cannot take: answer "no" instead of breaking every later move.
  const hasLayer = map.hasLayer.bind(map);
  map.hasLayer = (layer) => !!layer && hasLayer(layer);

  const clusters = L.markerClusterGroup({
    chunkedLoading: true,
    showCoverageOnHover: false,
    maxClusterRadius: 44,
    spiderfyOnMaxZoom: true,
    iconCreateFunction: clusterIcon,
  }).addTo(map);

  function markerFor(feature) {
    const p = feature.properties;
    const [lon, lat] = feature.geometry.coordinates;
    const label = eventLabel(p);
    const marker = L.marker([lat, lon], {
      icon: iconFor(p),
      title: label,
      keyboard: true,
      riseOnHover: true,
    });
    marker.eventId = p.event_id;
    marker.eventType = p.event_type;
    marker.fatalities = p.fatalities || 0;
    marker.on("click", () => openEvent(p.event_id));
    // A div with role=button gets no click from the keyboard: Leaflet passes us the keypress.
    marker.on("keypress", (e) => {
      const key = e.originalEvent.key;
      if (key !== "Enter" && key !== " ") return;
      e.originalEvent.preventDefault();
      openEvent(p.event_id, marker.getElement());
    });
    marker.on("add", () => decorate(marker, label));
    return marker;
  }

  /** A marker's icon: sized by fatalities, coloured by type, outlined and pulsing while new. */
  function iconFor(p) {
    const size = Math.round(14 + Math.min(26, 4 * Math.sqrt(p.fatalities || 0)));
    const fresh = state.fresh.get(p.event_id);
    const cls = `ev-marker ${typeClass(p.event_type)} ${statusOf(p)}${p.flagged ? " flagged" : ""}${fresh ? ` fresh ${fresh.kind}` : ""}`;
    return L.divIcon({ className: cls, iconSize: [size, size] });
  }

  function decorate(marker, label) {
    const node = marker.getElement();
    if (!node) return;
    const fresh = state.fresh.get(marker.eventId);
    node.setAttribute("aria-label", fresh ? `${fresh.kind === "new" ? "New" : "Updated"}: ${label}` : label);
    node.dataset.eventId = marker.eventId;
  }

  /** Every loaded event's marker; ``fit`` moves the map to show them all (not after an edit). */
  function drawMarkers(fit = true) {
    clusters.clearLayers();
    state.markers.clear();
    const layers = [];
    for (const f of state.features) {
      if (!f.geometry) continue;
      const m = markerFor(f);
      state.markers.set(f.properties.event_id, m);
      layers.push(m);
    }
    clusters.addLayers(layers);
    if (layers.length && fit) {
      const bounds = L.latLngBounds(layers.map((m) => m.getLatLng()));
      map.fitBounds(bounds.pad(0.5), { maxZoom: 7, animate: false });
    }
  }

  function focusMarker(id) {
    const m = state.markers.get(id);
    if (!m) return;
    clusters.zoomToShowLayer(m, () => {
      const node = m.getElement();
      if (node) node.classList.add("selected");
      // Keep the marker out from under the event panel.
      const panel = $("panel");
      const free = map.getSize().x - (panel.hidden ? 0 : panel.offsetWidth);
      const pt = map.latLngToContainerPoint(m.getLatLng());
      if (pt.x > free - 30) map.panBy([pt.x - free / 2, 0], { animate: false });
    });
  }

  function drawLegend() {
    const counts = new Map();
    for (const f of state.features) counts.set(f.properties.event_type, (counts.get(f.properties.event_type) || 0) + 1);
    const legend = $("legend");
    const checked = state.features.filter((f) => statusOf(f.properties) !== "provisional").length;
    legend.replaceChildren(
      ...TYPES.map((t) =>
        el("li", { class: counts.get(t) ? "" : "none" },
          el("span", { class: `swatch ${typeClass(t)}`, "aria-hidden": "true" }),
          `${t} `, el("span", { class: "n" }, fmt.format(counts.get(t) || 0))),
      ),
      el("li", { class: "status-key", id: "legend-checked" },
        el("span", { class: "swatch filled", "aria-hidden": "true" }),
        "Verified or edited by an analyst ", el("span", { class: "n" }, fmt.format(checked))),
      el("li", { class: "status-key", id: "legend-provisional" },
        el("span", { class: "swatch hollow", "aria-hidden": "true" }),
        "Provisional (machine, unchecked) ", el("span", { class: "n" }, fmt.format(state.features.length - checked))),
    );
  }

  // ---------- event list ----------

  function drawList() {
    const list = $("events-list");
    // Events that arrived live lead the list (latest first) while they are new.
    const arrived = (f) => (state.fresh.get(f.properties.event_id) || { at: 0 }).at;
    const fresh = state.features.filter((f) => state.fresh.has(f.properties.event_id));
    fresh.sort((a, b) => arrived(b) - arrived(a));
    const rest = fresh.length ? state.features.filter((f) => !state.fresh.has(f.properties.event_id)) : state.features;
    const shown = fresh.concat(rest).slice(0, LIST_MAX);
    list.replaceChildren(
      ...shown.map((f) => {
        const p = f.properties;
        return el("li", {},
          el("button", {
            type: "button",
            class: `ev-item ${typeClass(p.event_type)}${state.fresh.has(p.event_id) ? " fresh" : ""}`,
            dataset: { eventId: p.event_id },
            onclick: (e) => openEvent(p.event_id, e.currentTarget),
          },
          el("span", { class: "swatch", "aria-hidden": "true" }),
          el("span", { class: "what" }, eventTitle(p), freshBadge(p.event_id), statusBadge(p)),
          el("span", { class: "when" }, [p.event_date || "date unknown", p.country].filter(Boolean).join(" · ")),
          p.fatalities ? el("span", { class: "killed" }, `${fmt.format(p.fatalities)} killed`) : null,
          f.geometry ? null : el("span", { class: "nogeo" }, "not on the map: no coordinates")));
      }),
    );
    const more = $("events-more");
    const hidden = state.total - shown.length;
    more.hidden = hidden <= 0;
    more.textContent = hidden > 0 ? `${fmt.format(hidden)} more: narrow the filters to list them.` : "";
  }

  // ---------- timeline ----------

  function timelineDomain() {
    const keys = new Set();
    for (const stats of [state.stats, state.statsMatching]) {
      for (const row of (stats && stats.by_month) || []) if (row.key) keys.add(monthKey(row.key));
    }
    const sorted = [...keys].filter((k) => /^\d{4}-\d{2}$/.test(k)).sort();
    return sorted.length ? monthRange(sorted[0], sorted[sorted.length - 1]) : [];
  }

  /** Bars per month: grey = every event, dark = events matching the filters other than dates. */
  function drawTimeline() {
    const svg = $("timeline-svg");
    const width = svg.clientWidth || 600;
    const height = 96;
    const pad = { top: 6, bottom: 18, left: 4, right: 4 };
    state.months = timelineDomain();
    const months = state.months;
    svg.replaceChildren();
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    const NS = "http://www.w3.org/2000/svg";
    const s = (tag, attrs) => {
      const node = document.createElementNS(NS, tag);
      for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
      return node;
    };
    if (!months.length) {
      const t = s("text", { x: 8, y: 40, class: "empty" });
      t.textContent = "No dated events.";
      svg.append(t);
      return;
    }
    const byMonth = (stats) => new Map(((stats && stats.by_month) || []).map((r) => [monthKey(r.key), r.events]));
    const all = byMonth(state.stats);
    const matching = byMonth(state.statsMatching || state.stats);
    let max = 1;
    for (const k of months) max = Math.max(max, all.get(k) || 0, matching.get(k) || 0);
    const bw = (width - pad.left - pad.right) / months.length;
    const h = height - pad.top - pad.bottom;
    const y = (n) => Math.max(n ? 1 : 0, (n / max) * h);
    state.brush = brushFromForm();
    months.forEach((k, i) => {
      const x = pad.left + i * bw;
      const w = Math.max(1, bw - (bw > 3 ? 1 : 0));
      const total = all.get(k) || 0;
      if (total) svg.append(s("rect", { x, y: pad.top + h - y(total), width: w, height: y(total), class: "bar-all" }));
      const n = matching.get(k) || 0;
      if (n) {
        const inside = !state.brush || (i >= state.brush[0] && i <= state.brush[1]);
        const bar = s("rect", { x, y: pad.top + h - y(n), width: w, height: y(n), class: inside ? "bar" : "bar out" });
        const title = s("title", {});
        title.textContent = `${k}: ${fmt.format(n)} event${n === 1 ? "" : "s"}`;
        bar.append(title);
        svg.append(bar);
      }
    });
    // Tick labels: months when few, else years, spaced to fit.
    const monthly = months.length <= 24;
    const labelEvery = Math.max(1, Math.ceil(months.length / Math.max(1, width / (monthly ? 64 : 40))));
    months.forEach((k, i) => {
      const isYearStart = k.endsWith("-01");
      if (i === 0 || (monthly ? i % labelEvery === 0 : isYearStart && (i === 0 || i % labelEvery < 12))) {
        const t = s("text", { x: pad.left + i * bw + 1, y: height - 4, class: "tick" });
        t.textContent = monthly ? k : k.slice(0, 4);
        svg.append(t);
      }
    });
    svg.setAttribute("aria-valuemin", "0");
    svg.setAttribute("aria-valuemax", String(months.length - 1));
    drawBrush();
  }

  function brushFromForm() {
    const { since, until } = readForm();
    if (!since && !until) return null;
    const m = state.months;
    const i0 = since ? m.findIndex((k) => k >= monthKey(since)) : 0;
    let i1 = until ? m.length - 1 - [...m].reverse().findIndex((k) => k <= monthKey(until)) : m.length - 1;
    if (i1 >= m.length) i1 = m.length - 1;
    return i0 < 0 || i1 < i0 ? null : [i0, i1];
  }

  function drawBrush() {
    const svg = $("timeline-svg");
    svg.querySelector(".brush")?.remove();
    const m = state.months;
    if (!state.brush || !m.length) {
      svg.setAttribute("aria-valuetext", "all dates");
      svg.removeAttribute("aria-valuenow");
      return;
    }
    const width = svg.viewBox.baseVal.width || svg.clientWidth;
    const bw = (width - 8) / m.length;
    const [a, b] = state.brush;
    const r = document.createElementNS("http://www.w3.org/2000/svg", "rect");
    r.setAttribute("class", "brush");
    r.setAttribute("x", 4 + a * bw);
    r.setAttribute("y", 2);
    r.setAttribute("width", (b - a + 1) * bw);
    r.setAttribute("height", 74);
    svg.append(r);
    svg.setAttribute("aria-valuenow", String(a));
    svg.setAttribute("aria-valuetext", `${m[a]} to ${m[b]}`);
  }

  function commitBrush() {
    const m = state.months;
    if (state.brush) {
      const [a, b] = state.brush;
      $("f-since").value = `${m[a]}-01`;
      $("f-until").value = lastDayOfMonth(m[b]);
    } else {
      $("f-since").value = "";
      $("f-until").value = "";
    }
    applyFilters();
  }

  function installBrush() {
    const svg = $("timeline-svg");
    let start = null;
    const indexAt = (evt) => {
      const rect = svg.getBoundingClientRect();
      const n = state.months.length;
      const i = Math.floor(((evt.clientX - rect.left - 4) / (rect.width - 8)) * n);
      return Math.max(0, Math.min(n - 1, i));
    };
    svg.addEventListener("pointerdown", (evt) => {
      if (!state.months.length) return;
      start = indexAt(evt);
      svg.setPointerCapture(evt.pointerId);
      state.brush = [start, start];
      drawBrush();
    });
    svg.addEventListener("pointermove", (evt) => {
      if (start === null) return;
      const i = indexAt(evt);
      state.brush = [Math.min(start, i), Math.max(start, i)];
      drawBrush();
    });
    svg.addEventListener("pointerup", () => {
      if (start === null) return;
      start = null;
      commitBrush();
    });
    let timer = null;
    svg.addEventListener("keydown", (evt) => {
      const n = state.months.length;
      if (!n) return;
      let [a, b] = state.brush || [n - 1, n - 1];
      if (evt.key === "Escape") {
        state.brush = null;
      } else if (evt.key === "ArrowLeft" || evt.key === "ArrowRight") {
        const d = evt.key === "ArrowLeft" ? -1 : 1;
        if (evt.shiftKey) b = Math.max(a, Math.min(n - 1, b + d));
        else if (a + d >= 0 && b + d < n) { a += d; b += d; }
        state.brush = [a, b];
      } else {
        return;
      }
      evt.preventDefault();
      drawBrush();
      clearTimeout(timer);
      timer = setTimeout(commitBrush, 400);
    });
    $("brush-clear").addEventListener("click", () => {
      state.brush = null;
      drawBrush();
      commitBrush();
    });
  }

  // ---------- loading ----------

  /** Dated events newest first (then by id, newest first too), undated ones after them. */
  function newestFirst(features) {
    const dated = features.filter((f) => f.properties.event_date);
    const undated = features.filter((f) => !f.properties.event_date);
    const key = (f) => `${f.properties.event_date}\u0000${f.properties.event_id}`;
    dated.sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0));
    return dated.concat(undated);
  }

  async function fetchEvents(filters) {
    // When not everything fits, an analyst wants the newest dated events (undated ones come
    // last in that order, so they never crowd the dated ones out).
    const params = { ...filters, format: "geojson", fields: MAP_FIELDS, limit: CONFIG.page_limit, order: "newest" };
    const request = getJSON(`${API}/events?${new URLSearchParams(params)}`);
    state.eventsSent();
    return request;
  }

  async function loadEvents({ keepView = false } = {}) {
    const seq = ++state.loadSeq;
    document.body.dataset.state = "loading";
    document.body.dataset.timeline = "loading";
    setStatus("Loading events…");
    const filters = readForm();
    syncDownloads(filters);
    const undated = { ...filters };
    delete undated.since;
    delete undated.until;
    // The timeline's numbers are asked for once the events are in: aggregating a large store
    // is slow, and run side by side the two requests would slow each other down.
    const drawTimelineLater = () => Promise.all([
      Object.keys(undated).length ? getJSON(`${API}/stats?${new URLSearchParams(undated)}`) : allStats(),
      allStats(),
    ]).then(([matching, all]) => {
      if (seq !== state.loadSeq) return;
      state.stats = all;
      state.statsMatching = matching;
      drawTimeline();
      document.body.dataset.timeline = "ready";
    }).catch((err) => console.warn("timeline:", err));
    try {
      const fc = await fetchEvents(filters);
      if (seq !== state.loadSeq) return; // a newer request superseded this one
      performance.mark("marsad:fetched");
      // Newest first in the list, undated events last; the map does not care about order.
      state.features = newestFirst(fc.features);
      state.total = fc.total;
      drawMarkers(!keepView);
      performance.mark("marsad:markers");
      drawList();
      drawLegend();
      state.brush = brushFromForm();
      drawBrush();
      performance.mark("marsad:drawn");
      state.statusText = countText();
      // Live from the store's position just before this answer: nothing falls in between.
      if (fc.cursor) openStream(fc.cursor);
      setStatus(state.statusText);
      document.body.dataset.count = String(fc.features.length);
      document.body.dataset.state = "ready";
    } catch (err) {
      if (seq !== state.loadSeq) return;
      setStatus(`Could not load events: ${err.message}`, true);
      document.body.dataset.state = "error";
    }

    return drawTimelineLater();
  }

  /** "N events (...); M without coordinates ...": the status line's counts, also after live changes. */
  function countText() {
    const total = state.total;
    const loaded = state.features.length;
    const noGeo = loaded - state.markers.size;
    let text = total === 0 ? "No events match these filters" : `${fmt.format(total)} event${total === 1 ? "" : "s"}`;
    if (total > loaded) text += ` (the newest ${fmt.format(loaded)} shown: narrow the filters to see the rest)`;
    if (noGeo > 0) text += `; ${fmt.format(noGeo)} without coordinates listed but not mapped`;
    return text + ".";
  }

  /** /api/stats over all events, fetched once (the country list and the timeline's grey bars). */
  function allStats() {
    if (!state.statsAll) state.statsAll = getJSON(`${API}/stats`);
    return state.statsAll;
  }

  function applyFilters() {
    syncURL();
    return loadEvents();
  }

  // ---------- live updates ----------

  /** Listen to /api/stream with the current filters, from ``after`` (the loaded events' position). */
  function openStream(after) {
    if (state.live.source) state.live.source.close();
    state.live.source = null;
    if (!window.EventSource) return;
    const params = new URLSearchParams({ ...readForm(), fields: MAP_FIELDS, after });
    const source = new EventSource(`${API}/stream?${params}`);
    state.live.source = source;
    setLive("connecting");
    source.addEventListener("ready", () => setLive("on"));
    for (const kind of ["added", "updated", "removed"]) {
      source.addEventListener(kind, (evt) => {
        if (source !== state.live.source) return;
        applyChange(JSON.parse(evt.data));
      });
    }
    source.addEventListener("store-error", (evt) => console.warn("live:", JSON.parse(evt.data).message));
    // The browser reconnects by itself, sending the last message's id: nothing is missed.
    source.onerror = () => setLive(source.readyState === EventSource.CLOSED ? "off" : "reconnecting");
  }

  function setLive(mode) {
    document.body.dataset.live = mode;
    const node = $("live");
    node.dataset.mode = mode;
    const n = [...state.fresh.values()].filter((f) => f.kind === "new").length;
    node.textContent = {
      connecting: "Live: connecting…",
      on: n ? `Live: ${fmt.format(n)} new` : "Live",
      reconnecting: "Live: reconnecting…",
      off: "Not live",
    }[mode];
    node.title = mode === "on" ? "New and updated events appear here as they are stored" : "";
  }

  /** Verified, edited, rejected or flagged, in the list (provisional is the unmarked default). */
  function statusBadge(p) {
    const out = [];
    if (statusOf(p) !== "provisional") out.push(" ", el("span", { class: `badge status ${statusOf(p)}` }, statusOf(p)));
    if (p.flagged) out.push(" ", el("span", { class: "badge flagged", title: "new reports disagree with an analyst's value" }, "flagged"));
    return out.length ? out : null;
  }

  function freshBadge(id) {
    const fresh = state.fresh.get(id);
    return fresh ? [" ", el("span", { class: `badge ${fresh.kind}` }, fresh.kind)] : null;
  }

  /** One message of the stream: an event added or updated (a GeoJSON feature), or removed. */
  function applyChange(msg) {
    state.live.received += 1;
    document.body.dataset.liveReceived = String(state.live.received);
    if (msg.kind === "removed") {
      dropEvent(msg.event_id);
    } else {
      const f = msg.feature;
      const id = f.properties.event_id;
      const known = state.features.findIndex((x) => x.properties.event_id === id);
      if (known >= 0) state.features[known] = f;
      else { state.features.push(f); state.total += 1; }
      state.features = newestFirst(state.features);
      const before = state.fresh.get(id);
      // new to this page unless it was already on it; a new one that changes stays new
      const kind = known < 0 || (before && before.kind === "new") ? "new" : "updated";
      state.fresh.set(id, { at: Date.now(), kind });
      placeMarker(f);
    }
    // A burst of changes redraws the list once.
    if (!state.live.redraw) state.live.redraw = setTimeout(redrawLive, 50);
  }

  function redrawLive() {
    state.live.redraw = null;
    drawList();
    drawLegend();
    document.body.dataset.count = String(state.features.length);
    const n = [...state.fresh.values()].filter((f) => f.kind === "new").length;
    if (state.statusText) {
      state.statusText = countText();
      setStatus(`${state.statusText}${n ? ` ${fmt.format(n)} new since this page opened.` : ""}`);
    }
    if (document.body.dataset.live === "on") setLive("on");
    document.body.dataset.liveDrawn = String(state.live.received);
  }

  function placeMarker(f) {
    const id = f.properties.event_id;
    const old = state.markers.get(id);
    if (old) clusters.removeLayer(old);
    state.markers.delete(id);
    if (!f.geometry) return;
    const m = markerFor(f);
    state.markers.set(id, m);
    clusters.addLayer(m);
  }

  function dropEvent(id) {
    const known = state.features.findIndex((x) => x.properties.event_id === id);
    if (known < 0) return;
    state.features.splice(known, 1);
    state.total = Math.max(0, state.total - 1);
    state.fresh.delete(id);
    const old = state.markers.get(id);
    if (old) clusters.removeLayer(old);
    state.markers.delete(id);
  }

  /** No longer new: seen (opened) or older than NEW_FOR_MS. */
  function unmark(id) {
    if (!state.fresh.delete(id)) return;
    const f = state.features.find((x) => x.properties.event_id === id);
    const m = state.markers.get(id);
    if (f && m) {
      m.setIcon(iconFor(f.properties));
      decorate(m, eventLabel(f.properties));
      clusters.refreshClusters(m); // its cluster's mark too
    }
    const item = document.querySelector(`.ev-item[data-event-id="${CSS.escape(id)}"]`);
    if (item) {
      item.classList.remove("fresh");
      item.querySelector(".badge")?.remove();
    }
    if (document.body.dataset.live === "on") setLive("on");
  }

  setInterval(() => {
    const now = Date.now();
    for (const [id, f] of [...state.fresh]) if (now - f.at > NEW_FOR_MS) unmark(id);
  }, 5000);

  // ---------- feed health ----------

  function when(iso) {
    return iso ? `${iso.slice(0, 16).replace("T", " ")} UTC` : "never";
  }

  async function loadFeeds() {
    const { feeds } = await getJSON(`${API}/feeds`);
    const body = $("feeds-table").tBodies[0];
    $("feeds-none").hidden = feeds.length > 0;
    $("feeds-table").hidden = feeds.length === 0;
    body.replaceChildren(...feeds.map((f) =>
      el("tr", { class: f.failures ? "failing" : "" },
        el("th", { scope: "row" }, el("span", { class: "name", title: f.url }, f.name),
          el("span", { class: "cat" }, webUrl(f.url) || f.url)),
        el("td", {}, when(f.last_success_at)),
        el("td", { class: "err" }, f.last_error
          ? [el("span", { class: "when" }, when(f.last_error_at)), " ", el("span", { class: "msg" }, f.last_error)]
          : "none"),
        el("td", { class: "num" }, fmt.format(f.items_per_day)))));
    document.body.dataset.feeds = String(feeds.length);
  }

  async function loadStats() {
    state.stats = await allStats();
    performance.mark("marsad:stats");
    const sel = $("f-country");
    const chosen = sel.value;
    const names = new Set([...sel.options].map((o) => o.value).filter(Boolean));
    for (const row of state.stats.by_country || []) if (row.key) names.add(row.key);
    sel.replaceChildren(el("option", { value: "" }, "Any country"),
      ...[...names].sort().map((name) => el("option", { value: name }, name)));
    sel.value = chosen;
  }

  async function loadActors() {
    if (state.actorsLoaded) return;
    const { actors } = await getJSON(`${API}/actors`);
    state.actorsLoaded = true;
    $("actor-names").replaceChildren(...actors.map((a) => el("option", { value: a.name })));
    $("actors-table").tBodies[0].replaceChildren(
      ...actors.map((a) =>
        el("tr", {},
          el("th", { scope: "row" },
            el("button", {
              type: "button",
              class: "link",
              "aria-label": `Show only events of ${a.name}`,
              onclick: () => {
                $("f-actor").value = a.name;
                selectTab("events");
                applyFilters();
              },
            }, a.name),
            // the category under the name, not in a column of its own: the name gets the width
            el("span", { class: "cat" }, a.category || "no category")),
          el("td", { class: "num" }, fmt.format(a.events || 0)),
          el("td", { class: "num" }, fmt.format(a.fatalities || 0))),
      ),
    );
  }

  // ---------- tabs ----------

  let feedTimer = null;

  function selectTab(name) {
    for (const t of ["events", "actors", "feeds"]) {
      const on = t === name;
      const tab = $(`tab-${t}`);
      tab.setAttribute("aria-selected", String(on));
      tab.tabIndex = on ? 0 : -1;
      $(`view-${t}`).hidden = !on;
    }
    if (name === "actors") loadActors().catch((e) => setStatus(`Could not load actors: ${e.message}`, true));
    clearInterval(feedTimer);
    if (name === "feeds") {
      const refresh = () => loadFeeds().catch((e) => setStatus(`Could not load the feeds: ${e.message}`, true));
      refresh();
      feedTimer = setInterval(refresh, 30000); // while the tab is open
    }
  }

  function installTabs() {
    const tabs = ["events", "actors", "feeds"];
    for (const t of tabs) {
      const tab = $(`tab-${t}`);
      tab.addEventListener("click", () => selectTab(t));
      tab.addEventListener("keydown", (evt) => {
        if (evt.key !== "ArrowLeft" && evt.key !== "ArrowRight") return;
        const next = tabs[(tabs.indexOf(t) + 1) % tabs.length];
        selectTab(next);
        $(`tab-${next}`).focus();
        evt.preventDefault();
      });
    }
  }

  // ---------- event panel ----------

  function fatalitiesText(ev) {
    const best = ev.fatalities ?? 0;
    const lo = ev.fatalities_low;
    const hi = ev.fatalities_high;
    if (lo !== null && lo !== undefined && hi !== null && hi !== undefined && lo !== hi) {
      return `${fmt.format(best)} (sources range ${fmt.format(lo)}–${fmt.format(hi)})`;
    }
    return fmt.format(best);
  }

  function dl(rows) {
    return el("dl", { class: "facts" },
      rows.filter(([, v]) => v !== null && v !== undefined && v !== "" && !(Array.isArray(v) && !v.length))
        .map(([k, v]) => [el("dt", {}, k), el("dd", {}, Array.isArray(v) ? v.join(", ") : v)]));
  }

  /** A value from a claim/link record, whatever the store called it. */
  function pick(obj, ...names) {
    for (const n of names) if (obj && obj[n] !== undefined && obj[n] !== null && obj[n] !== "") return obj[n];
    return null;
  }

  /** Each claim with who made it, its words, and its own figures; figures that differ between claims are marked. */
  function claimsList(ev) {
    const claims = ev.claims && ev.claims.length ? ev.claims : ev.sources || [];
    const distinct = (key) => new Set(claims.map((c) => c[key]).filter((v) => v !== null && v !== undefined)).size;
    const conflict = { fatalities: distinct("fatalities") > 1, wounded: distinct("wounded") > 1 };
    return el("ol", { class: "sources" }, claims.map((c) => {
      const figures = [["fatalities", "killed"], ["wounded", "wounded"]]
        .filter(([k]) => c[k] !== null && c[k] !== undefined)
        .map(([k, word]) => el("span", { class: conflict[k] ? "figure conflict" : "figure" }, `${fmt.format(c[k])} ${word}`));
      return el("li", {},
        el("span", { class: "who" }, [...new Set([c.claimant, c.publisher].filter(Boolean))].join(" via ") || c.article_id),
        figures.length ? [" ", figures] : null,
        c.quote ? el("blockquote", {}, `“${c.quote}”`) : null,
        el("span", { class: "offsets" }, `${c.article_id}, characters ${c.start}–${c.end}`));
    }));
  }

  function linksList(links) {
    if (!links || !links.length) return null;
    return el("ul", { class: "links" },
      links.map((l) => el("li", {}, typeof l === "string" ? l
        : pick(l, "explanation", "reason", "why", "note") || JSON.stringify(l))));
  }

  /** The article text with spans highlighted: this event's evidence strongly, other events' lightly. */
  function highlightedText(text, spans, eventId) {
    const marks = spans
      .filter((s) => Number.isInteger(s.start) && Number.isInteger(s.end) && s.end > s.start && s.start >= 0)
      .map((s) => ({ start: Math.min(s.start, text.length), end: Math.min(s.end, text.length), mine: s.event_id === eventId, id: s.event_id }));
    const cuts = new Set([0, text.length]);
    for (const m of marks) { cuts.add(m.start); cuts.add(m.end); }
    const points = [...cuts].sort((a, b) => a - b);
    const out = [];
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i];
      const b = points[i + 1];
      const piece = text.slice(a, b);
      const covering = marks.filter((m) => m.start <= a && m.end >= b);
      if (!covering.length) { out.push(piece); continue; }
      const mine = covering.find((m) => m.mine);
      if (mine) {
        out.push(el("mark", { class: "evidence", title: "evidence for this event" }, piece));
      } else {
        const other = covering[0];
        out.push(el("mark", {
          class: "other",
          title: `evidence for another event (${other.id}): click to open it`,
          tabindex: "0",
          role: "button",
          onclick: () => openEvent(other.id),
          onkeydown: (e) => {
            if (e.key === "Enter" || e.key === " ") { e.preventDefault(); openEvent(other.id); }
          },
        }, piece));
      }
    }
    return out;
  }

  async function articleSection(articleId, ev) {
    let art;
    try {
      art = await getJSON(`${API}/articles/${encodeURIComponent(articleId)}`);
    } catch (err) {
      return el("section", { class: "article" }, el("h4", {}, articleId), el("p", { class: "error" }, err.message));
    }
    const spans = [...(art.spans || [])];
    // The event's own source offsets count as evidence even if the store did not list them as spans.
    for (const s of ev.sources || []) {
      if (s.article_id === articleId) spans.push({ start: s.start, end: s.end, event_id: ev.event_id });
    }
    const meta = [art.publisher, art.publish_date].filter(Boolean).join(" · ");
    const body = el("div", { class: "text", tabindex: "0", "aria-label": `Text of ${art.title || articleId}` },
      highlightedText(art.text || "", spans, ev.event_id));
    return el("section", { class: "article" },
      el("h4", {}, art.title || articleId),
      meta ? el("p", { class: "meta" }, meta) : null,
      webUrl(art.url) ? el("p", { class: "meta" },
        el("a", { href: webUrl(art.url), rel: "noopener noreferrer" }, "original")) : null,
      body);
  }

  async function openEvent(id, opener) {
    const panel = $("panel");
    const body = $("panel-body");
    state.opener = opener || document.activeElement;
    state.openId = id;
    unmark(id); // seen
    syncURL();
    for (const n of document.querySelectorAll(".ev-marker.selected, .ev-item.selected")) n.classList.remove("selected");
    document.querySelector(`.ev-item[data-event-id="${CSS.escape(id)}"]`)?.classList.add("selected");
    panel.hidden = false;
    document.body.dataset.panel = "loading";
    fill(body, el("p", {}, "Loading the event…"));
    let ev;
    try {
      ev = await getJSON(`${API}/events/${encodeURIComponent(id)}`);
    } catch (err) {
      fill(body, el("h2", { id: "panel-title", tabindex: "-1" }, "Event not found"), el("p", { class: "error" }, err.message));
      $("panel-title").focus();
      document.body.dataset.panel = "error";
      return;
    }
    if (state.openId !== id) return;
    focusMarker(id);
    const sources = ev.sources || [];
    const byActor = Object.entries(ev.fatalities_by_actor || {}).map(([a, n]) => `${a}: ${n}`);
    const disagree = ev.fatalities_low !== null && ev.fatalities_low !== undefined && ev.fatalities_high !== ev.fatalities_low;
    const articleIds = [...new Set([
      ...sources.map((s) => s.article_id),
      ...(ev.reports || []).map((r) => pick(r, "article_id")),
    ].filter(Boolean))];
    fill(body, 
      el("p", { class: `kind ${typeClass(ev.event_type)}` }, el("span", { class: "swatch", "aria-hidden": "true" }), ev.event_type || "Event"),
      el("h2", { id: "panel-title", tabindex: "-1" }, eventTitle(ev)),
      ev.notes ? el("p", { class: "notes" }, ev.notes) : null,
      dl([
        ["Date", ev.event_date ? `${ev.event_date}${ev.date_precision && ev.date_precision !== "day" ? ` (to the ${ev.date_precision})` : ""}` : "unknown"],
        ["Initiator", ev.actor1],
        ["Allies", ev.assoc_actor_1],
        ["Against", ev.actor2],
        ["Their allies", ev.assoc_actor_2],
        ["Place", [ev.location, ev.admin1, ev.country].filter(Boolean).join(", ")],
        ["Coordinates", ev.latitude !== null && ev.latitude !== undefined ? `${ev.latitude.toFixed(4)}, ${ev.longitude.toFixed(4)}${ev.geo_precision ? ` (precision ${ev.geo_precision})` : ""}` : null],
        ["Killed", fatalitiesText(ev)],
        ["Killed by side", byActor],
        ["Wounded", ev.wounded],
        ["Status", statusOf(ev)],
        ["Flagged", ev.flagged ? ev.flag_reason || "yes" : null],
        ["Event id", ev.event_id],
      ]),
      disagree ? el("p", { class: "conflict-note" }, `Sources disagree on the death toll: between ${ev.fatalities_low} and ${ev.fatalities_high}; ${statusOf(ev) === "provisional" ? "marsad's best estimate" : "the reviewed value"} is ${ev.fatalities}.`) : null,
      canEdit() ? reviewSection(ev) : null,
      el("h3", {}, `Sources and their claims (${(ev.claims || sources).length})`),
      claimsList(ev),
      ev.links && ev.links.length ? el("h3", {}, "Why these reports are one event") : null,
      linksList(ev.links),
      CONFIG.history ? el("div", { id: "changes-slot" }) : null,
      el("h3", {}, articleIds.length === 1 ? "Article" : `Articles (${articleIds.length})`),
    );
    $("panel-title").focus();
    if (CONFIG.history) {
      const changes = await historySection(id);
      if (state.openId !== id) return;
      if (changes) $("changes-slot")?.replaceWith(changes);
    }
    for (const aid of articleIds) {
      const section = await articleSection(aid, ev);
      if (state.openId !== id) return;
      body.append(section);
      section.querySelector("mark.evidence")?.scrollIntoView({ block: "nearest" });
    }
    panel.scrollTop = 0;
    document.body.dataset.panel = "ready";
  }

  /** Who changed the event, when, what and why (GET /api/events/{id}/history), newest first. */
  async function historySection(id) {
    let data;
    try {
      data = await getJSON(`${API}/events/${encodeURIComponent(id)}/history`);
    } catch (err) {
      return el("p", { class: "error" }, `Could not load the changes: ${err.message}`);
    }
    const all = data.history || [];
    if (!all.length) return null;
    const show = (v) => (v === null || v === undefined ? "none" : Array.isArray(v) ? v.join(", ")
      : typeof v === "object" ? JSON.stringify(v) : String(v));
    return el("section", { id: "changes", class: "changes" },
      el("h3", {}, `Changes (${all.length})`),
      el("ol", { class: "changes-list" }, all.slice(-50).reverse().map((c) => el("li", {},
        el("span", { class: "when" }, when(c.at)), " ",
        el("span", { class: "who" }, c.by || "unknown"), ": ",
        el("span", { class: "kind" }, c.kind || "changed"),
        c.field ? [" ", el("code", {}, c.field), ": ", el("span", { class: "old" }, show(c.old)), " → ",
          el("span", { class: "new" }, show(c.new))] : null,
        c.why ? [" ", el("q", { class: "why" }, c.why)] : null))));
  }

  function closePanel() {
    $("panel").hidden = true;
    state.openId = null;
    document.body.dataset.panel = "closed";
    syncURL();
    for (const n of document.querySelectorAll(".selected")) n.classList.remove("selected");
    if (state.opener && document.contains(state.opener)) state.opener.focus();
  }

  // ---------- account ----------

  async function loadMe() {
    state.me = await getJSON(`${API}/me`).then((me) => (me && me.name ? me : null));
    drawAccount();
  }

  function canEdit() {
    return !!(state.me && (state.me.roles || []).includes("analyst"));
  }

  function drawAccount() {
    const me = state.me;
    $("login-open").hidden = !!me;
    $("logout").hidden = !me;
    $("whoami").hidden = !me;
    $("whoami").textContent = me ? `${me.name} (${me.role})` : "";
    $("account").dataset.state = me ? "in" : "out";
    document.body.dataset.role = me ? me.role : "";
  }

  function installAccount() {
    const dialog = $("login-dialog");
    $("login-open").addEventListener("click", () => {
      $("login-error").hidden = true;
      dialog.showModal();
      $("login-name").focus();
    });
    $("login-cancel").addEventListener("click", () => dialog.close());
    $("login-form").addEventListener("submit", async (evt) => {
      evt.preventDefault();
      const form = evt.currentTarget;
      const body = { name: form.elements.name.value, password: form.elements.password.value };
      const resp = await fetch(`${API}/login`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(body),
      });
      const data = await resp.json().catch(() => null);
      if (!resp.ok) {
        $("login-error").textContent = data && data.error ? data.error.message : `${resp.status} ${resp.statusText}`;
        $("login-error").hidden = false;
        return;
      }
      form.elements.password.value = "";
      state.me = data;
      drawAccount();
      dialog.close();
      if (state.openId) openEvent(state.openId);
    });
    $("logout").addEventListener("click", async () => {
      await fetch(`${API}/logout`, { method: "POST", headers: { Accept: "application/json" } });
      state.me = null;
      drawAccount();
      if (CONFIG.private) { location.reload(); return; }
      if (state.openId) openEvent(state.openId);
    });
  }

  // ---------- review: an analyst's edit panel ----------

  // [field, label, kind]: what an analyst may correct, in the panel's order.
  const EDIT_FIELDS = [
    ["event_date", "Date", "date"],
    ["event_type", "Event type", "type"],
    ["sub_event_type", "Sub-event type", "subtype"],
    ["actor1", "Initiator", "text"],
    ["assoc_actor_1", "Allies", "list"],
    ["actor2", "Against", "text"],
    ["assoc_actor_2", "Their allies", "list"],
    ["location", "Place", "text"],
    ["admin1", "Province", "text"],
    ["country", "Country", "text"],
    ["latitude", "Latitude", "number"],
    ["longitude", "Longitude", "number"],
    ["fatalities", "Killed", "int"],
    ["wounded", "Wounded", "int"],
    ["notes", "Notes", "textarea"],
  ];

  /** The source quotes that bear on a field: figures for tolls, quotes naming the value otherwise. */
  function evidenceFor(ev, field) {
    const claims = (ev.claims && ev.claims.length ? ev.claims : ev.sources || []).filter((c) => c.quote);
    const value = ev[field];
    let hits = [];
    if (field === "fatalities" || field === "wounded") {
      hits = claims.filter((c) => c[field] !== null && c[field] !== undefined);
    } else if (value !== null && value !== undefined && value !== "") {
      const words = (Array.isArray(value) ? value : [value]).map((v) => String(v).toLowerCase()).filter((v) => v.length > 1);
      hits = claims.filter((c) => words.some((w) => c.quote.toLowerCase().includes(w)));
    }
    const shown = hits.length ? hits : claims;
    const seen = new Set();
    const unique = shown.filter((c) => !seen.has(c.quote) && seen.add(c.quote)).slice(0, 3);
    if (!unique.length) return el("p", { class: "evidence-for none" }, "no source quote");
    return el("ul", { class: `evidence-for${hits.length ? " names-it" : ""}` }, unique.map((c) => {
      const figure = ["fatalities", "wounded"].includes(field) && c[field] !== null && c[field] !== undefined
        ? el("span", { class: "figure" }, `${fmt.format(c[field])} `) : null;
      return el("li", {}, figure, el("q", {}, c.quote), " ",
        el("span", { class: "who" }, c.claimant || c.publisher || c.article_id || ""));
    }));
  }

  function fieldInput(ev, field, kind) {
    const id = `edit-${field}`;
    const value = ev[field];
    if (kind === "type" || kind === "subtype") {
      const options = kind === "type" ? TYPES : Object.values(CONFIG.event_types).flat();
      const select = el("select", { id, name: field },
        el("option", { value: "" }, "—"),
        options.map((o) => el("option", { value: o }, o)));
      if (value && !options.includes(value)) select.append(el("option", { value }, value));
      select.value = value || "";
      return select;
    }
    if (kind === "textarea") {
      const area = el("textarea", { id, name: field, rows: "3" });
      area.value = value || "";
      return area;
    }
    const attrs = { id, name: field, autocomplete: "off" };
    if (kind === "int") Object.assign(attrs, { type: "number", min: "0", step: "1", inputmode: "numeric" });
    else if (kind === "number") Object.assign(attrs, { type: "number", step: "any" });
    else if (kind === "date") Object.assign(attrs, { type: "text", placeholder: "YYYY-MM-DD", maxlength: "10" });
    else if (kind === "list") attrs.placeholder = "comma-separated";
    const input = el("input", attrs);
    input.value = value === null || value === undefined ? "" : Array.isArray(value) ? value.join(", ") : String(value);
    return input;
  }

  /** What the analyst changed: only the fields whose value differs from the event's. */
  function changedFields(ev, form) {
    const out = {};
    for (const [field, , kind] of EDIT_FIELDS) {
      const raw = form.elements[field].value.trim();
      let value;
      if (kind === "list") value = raw ? raw.split(",").map((v) => v.trim()).filter(Boolean) : [];
      else if (kind === "int" || kind === "number") value = raw === "" ? null : Number(raw);
      else value = raw === "" ? null : raw;
      const before = ev[field] === undefined ? null : ev[field];
      if (JSON.stringify(value) !== JSON.stringify(kind === "list" ? before || [] : before)) out[field] = value;
    }
    return out;
  }

  /** Other loaded events to merge with: the same country first, then the nearest in date. */
  function mergeCandidates(ev) {
    const day = (d) => (d ? Date.parse(d) : NaN);
    const t = day(ev.event_date);
    return state.features.map((f) => f.properties)
      .filter((p) => p.event_id !== ev.event_id && statusOf(p) !== "rejected")
      .sort((a, b) => {
        const ca = a.country === ev.country ? 0 : 1;
        const cb = b.country === ev.country ? 0 : 1;
        if (ca !== cb) return ca - cb;
        const da = Math.abs(day(a.event_date) - t);
        const db = Math.abs(day(b.event_date) - t);
        return (Number.isNaN(da) ? Infinity : da) - (Number.isNaN(db) ? Infinity : db);
      })
      .slice(0, 200);
  }

  function reviewSection(ev) {
    const id = ev.event_id;
    const path = `/events/${encodeURIComponent(id)}`;
    const result = el("p", { id: "edit-result", role: "status", "aria-live": "polite" });
    const reason = el("input", { id: "edit-reason", name: "reason", maxlength: "1000", autocomplete: "off", placeholder: "optional: kept with the change" });
    const buttons = [];

    /** Run one write; then reload the map and list, and open the event it leaves. */
    async function act(what, method, suffix, body) {
      for (const b of buttons) b.disabled = true;
      result.classList.remove("error");
      result.textContent = `${what}…`;
      document.body.dataset.edit = "busy";
      const reasonText = reason.value.trim();
      try {
        const out = await send(method, path + suffix, reasonText ? { ...body, reason: reasonText } : body);
        const events = Array.isArray(out) ? out : out && Array.isArray(out.events) ? out.events : [out];
        const next = events[0] && events[0].event_id ? events[0].event_id : id;
        state.edits += 1;
        await loadEvents({ keepView: true }); // the analyst stays where they are on the map
        await openEvent(next);
        const note = $("edit-result");
        const made = events.length > 1 ? ` (${events.map((e) => e.event_id).join(" and ")})` : "";
        // the analyst's own words, shown back as text like every value on the page
        if (note) note.textContent = `${what}: done${made}.${reasonText ? ` Reason: “${reasonText}”` : ""}`;
        document.body.dataset.edit = "done";
      } catch (err) {
        result.textContent = `${what} failed: ${err.message}`;
        result.classList.add("error");
        document.body.dataset.edit = "error";
      } finally {
        for (const b of buttons) b.disabled = false;
      }
    }

    const button = (attrs, text, onclick) => {
      const b = el("button", { type: "button", ...attrs, onclick }, text);
      buttons.push(b);
      return b;
    };

    // Correct any field, its evidence beside it.
    const fields = el("form", { id: "edit-fields", class: "edit-fields", "aria-label": "Correct the event's fields" },
      EDIT_FIELDS.map(([field, label, kind]) => el("div", { class: "edit-row", dataset: { field } },
        el("label", { for: `edit-${field}` }, label),
        fieldInput(ev, field, kind),
        evidenceFor(ev, field))));
    const save = el("button", { type: "submit", id: "edit-save" }, "Save changes");
    buttons.push(save);
    fields.append(el("div", { class: "buttons" }, save));
    fields.addEventListener("submit", (evt) => {
      evt.preventDefault();
      const changed = changedFields(ev, fields);
      if (!Object.keys(changed).length) {
        result.textContent = "Nothing changed.";
        return;
      }
      act(`Saving ${Object.keys(changed).join(", ")}`, "PATCH", "", { fields: changed });
    });

    // Merge with another event.
    const others = mergeCandidates(ev);
    const mergeWith = el("select", { id: "edit-merge-with", name: "other" },
      el("option", { value: "" }, others.length ? "Choose an event…" : "no other event loaded"),
      others.map((p) => el("option", { value: p.event_id }, `${eventLabel(p)} (${p.event_id})`)));
    const merge = el("div", { class: "edit-merge" },
      el("label", { for: "edit-merge-with" }, "Merge with (the same happening)"), mergeWith,
      button({ id: "edit-merge" }, "Merge", () => {
        if (!mergeWith.value) { result.textContent = "Choose the event to merge with."; return; }
        act("Merging", "POST", "/merge", { other: mergeWith.value });
      }));

    // Split: the chosen reports become an event of their own.
    const reports = ev.reports || [];
    const split = reports.length > 1 ? el("fieldset", { class: "edit-split" },
      el("legend", {}, "Split: the reports checked become an event of their own"),
      reports.map((r, i) => el("label", { class: "report" },
        el("input", { type: "checkbox", name: "report", value: r.report_id, id: `edit-report-${i}` }),
        ` ${[r.publisher, r.title || r.article_id].filter(Boolean).join(": ")}`,
        r.event_date ? el("span", { class: "when" }, ` (${r.event_date})`) : null)),
      button({ id: "edit-split" }, "Split", (evt) => {
        const chosen = [...evt.currentTarget.parentNode.querySelectorAll("input[name=report]:checked")].map((c) => c.value);
        if (!chosen.length || chosen.length === reports.length) {
          result.textContent = "Check some of the reports, not all of them.";
          return;
        }
        act("Splitting", "POST", "/split", { report_ids: chosen });
      })) : null;

    return el("section", { id: "review", class: "review", "aria-labelledby": "review-title" },
      el("h3", { id: "review-title" }, `Review (${state.me.name}, ${state.me.role})`),
      el("div", { class: "field" }, el("label", { for: "edit-reason" }, "Reason"), reason),
      el("div", { class: "buttons" },
        button({ id: "edit-verify" }, "Confirm", () => act("Confirming", "POST", "/verify", {})),
        button({ id: "edit-reject", class: "danger" }, "Reject", () => act("Rejecting", "POST", "/reject", {}))),
      result,
      el("details", { class: "edit-details", open: true },
        el("summary", {}, "Correct fields (the evidence beside each)"), fields),
      merge,
      split);
  }

  // ---------- start ----------

  function installForm() {
    const form = $("filters");
    for (const t of TYPES) $("f-type").append(el("option", { value: t }, t));
    form.addEventListener("submit", (evt) => {
      evt.preventDefault();
      applyFilters();
    });
    // Selects and dates apply at once; text fields on Enter / Apply (no request per keystroke).
    for (const name of ["country", "type", "status", "since", "until"]) form.elements[name].addEventListener("change", applyFilters);
    $("f-reset").addEventListener("click", () => {
      writeForm({});
      state.brush = null;
      applyFilters();
    });
    $("panel-close").addEventListener("click", closePanel);
    document.addEventListener("keydown", (evt) => {
      if (evt.key === "Escape" && !$("panel").hidden && !evt.target.closest("#timeline-svg")) closePanel();
    });
    let resize = null;
    window.addEventListener("resize", () => {
      clearTimeout(resize);
      resize = setTimeout(drawTimeline, 150);
    });
  }

  async function start() {
    const initial = filtersFromURL();
    installAccount();
    loadMe().catch((err) => console.warn("me:", err));
    installForm();
    installTabs();
    installBrush();
    writeForm(initial.filters);
    // Events first (what the analyst came for), the outlines while they travel, then the
    // statistics (timeline, country list) and the actors.
    const sent = new Promise((resolve) => { state.eventsSent = resolve; });
    const events = loadEvents();
    loadBasemap(Promise.race([sent, events])).catch((err) => console.warn("basemap:", err));
    await events;
    await loadStats().catch((err) => setStatus(`Could not load statistics: ${err.message}`, true));
    loadActors().catch(() => {});
    if (initial.event) openEvent(initial.event);
  }

  window.marsad = { state, openEvent, applyFilters, loadEvents, map };
  start();
})();
