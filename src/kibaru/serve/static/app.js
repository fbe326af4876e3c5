/* Kibaru browser view: the only script (served from this package, no inline code). */
"use strict";

function $(sel, root) { return (root || document).querySelector(sel); }
function $$(sel, root) { return Array.from((root || document).querySelectorAll(sel)); }

/* Article page: hovering an event lights up its highlighted spans, and back. */
function setupArticle() {
  const text = $("#article-text");
  if (!text) return;
  const marks = $$("mark.hl", text);
  function light(no, on) {
    marks.forEach(function (m) {
      if ((m.dataset.events || "").split(" ").indexOf(String(no)) >= 0) m.classList.toggle("active", on);
    });
    const item = document.getElementById("event-" + no);
    if (item) item.classList.toggle("active", on);
  }
  $$(".doc-event").forEach(function (li) {
    li.addEventListener("mouseenter", function () { light(li.dataset.eventNo, true); });
    li.addEventListener("mouseleave", function () { light(li.dataset.eventNo, false); });
  });
  /* a link to /documents/N#event-K lights event K up on load (and on a later #event-J) */
  function target() {
    $$(".targeted").forEach(function (el) { el.classList.remove("targeted"); });
    const found = /^#event-(\d+)$/.exec(window.location.hash);
    if (!found) return;
    const no = found[1];
    const item = document.getElementById("event-" + no);
    if (!item) return;
    item.classList.add("targeted");
    let first = null;
    marks.forEach(function (m) {
      if ((m.dataset.events || "").split(" ").indexOf(no) >= 0) {
        m.classList.add("targeted");
        if (!first) first = m;
      }
    });
    (first || item).scrollIntoView({ block: "center" });
  }
  window.addEventListener("hashchange", target);
  target();
  marks.forEach(function (m) {
    m.addEventListener("mouseenter", function () { (m.dataset.events || "").split(" ").forEach(function (n) { if (n) light(n, true); }); });
    m.addEventListener("mouseleave", function () { (m.dataset.events || "").split(" ").forEach(function (n) { if (n) light(n, false); }); });
  });
}

/* Event page: the review form posts JSON to the API. */
function setupReview() {
  const form = $("#review-form");
  if (!form) return;
  const out = $("#review-result");
  const reviewer = form.elements.namedItem("reviewer");
  if (reviewer && !reviewer.value) reviewer.value = localStorage.getItem("kibaru.reviewer") || "";
  const token = form.elements.namedItem("token");
  if (token) token.value = sessionStorage.getItem("kibaru.token") || "";
  /* editing a correction field means "correct": select it, so nothing typed is lost */
  const correct = form.querySelector("input[name=action][value=correct]");
  $$(".corrections input, .corrections select", form).forEach(function (el) {
    ["input", "change"].forEach(function (type) {
      el.addEventListener(type, function () { if (el.value && correct) correct.checked = true; });
    });
  });
  const FIELDS = ["type", "mode", "actor", "actor_sector", "recipient", "recipient_sector", "place", "date"];
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    const f = form.elements;
    const body = { action: form.querySelector("input[name=action]:checked").value, reviewer: f.reviewer.value.trim() };
    if (f.note.value.trim()) body.note = f.note.value.trim();
    /* every filled field is sent, whatever the action: the server refuses fields with
       confirm or reject rather than dropping them silently */
    FIELDS.forEach(function (k) {
      const v = f[k].value.trim();
      if (v) body[k] = (k === "actor" || k === "recipient") ? v.toUpperCase() : v;
    });
    ["lat", "lon"].forEach(function (k) { const v = f[k].value.trim(); if (v) body[k] = Number(v); });
    const headers = { "Content-Type": "application/json" };
    if (token && token.value) { headers["X-Kibaru-Token"] = token.value; sessionStorage.setItem("kibaru.token", token.value); }
    localStorage.setItem("kibaru.reviewer", body.reviewer);
    out.className = "result";
    out.textContent = "saving…";
    fetch("/api/events/" + form.dataset.eventId + "/review", { method: "POST", headers: headers, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); })
      .then(function (res) {
        if (res.ok) {
          out.className = "result ok";
          out.textContent = "saved: " + res.data.action + " by " + res.data.reviewer + " at " + res.data.created_at;
          setTimeout(function () { window.location.reload(); }, 400);
        } else {
          out.className = "result fail";
          out.textContent = "not saved: " + (res.data.error || JSON.stringify(res.data));
        }
      })
      .catch(function (err) { out.className = "result fail"; out.textContent = "not saved: " + err; });
  });
}

/* Map page: clusters from /api/map, zoom and pan by changing the viewBox. */
function setupMap() {
  const svg = $("#map");
  if (!svg) return;
  const layer = $("#clusters");
  const count = $("#map-count");
  const query = svg.dataset.query || "";
  const NS = "http://www.w3.org/2000/svg";
  let view = { x: -180, y: -90, w: 360, h: 180 };
  let zoom = 0;
  function apply() { svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" ")); }
  function load() {
    fetch("/api/map?zoom=" + zoom + (query ? "&" + query : ""))
      .then(function (r) { return r.json(); })
      .then(function (data) { draw(data.clusters || []); })
      .catch(function () { count.textContent = "could not load the events"; });
  }
  function draw(clusters) {
    while (layer.firstChild) layer.removeChild(layer.firstChild);
    const scale = view.w / 360;
    let total = 0;
    clusters.forEach(function (c) {
      total += c.n;
      const r = (2.2 + 2.2 * Math.log2(1 + c.n)) * scale;
      const g = document.createElementNS(NS, "g");
      g.setAttribute("class", "cluster");
      const circle = document.createElementNS(NS, "circle");
      circle.setAttribute("cx", c.lon); circle.setAttribute("cy", -c.lat); circle.setAttribute("r", r);
      circle.setAttribute("stroke-width", 0.4 * scale);
      const title = document.createElementNS(NS, "title");
      title.textContent = c.n + " event(s): " + c.places.join(", ");
      circle.appendChild(title);
      const label = document.createElementNS(NS, "text");
      label.setAttribute("x", c.lon); label.setAttribute("y", -c.lat + 1.2 * scale);
      label.setAttribute("text-anchor", "middle"); label.setAttribute("font-size", 3.4 * scale);
      label.textContent = String(c.n);
      g.appendChild(circle); g.appendChild(label);
      circle.addEventListener("click", function () {
        const pad = 0.01;
        const b = [c.bbox[0] - pad, c.bbox[1] - pad, c.bbox[2] + pad, c.bbox[3] + pad].map(function (v) { return v.toFixed(4); });
        window.location.href = "/events?" + (query ? query + "&" : "") + "review=&bbox=" + b.join(",");
      });
      layer.appendChild(g);
    });
    count.textContent = total + " located event(s) in " + clusters.length + " cluster(s)";
  }
  function zoomBy(factor, cx, cy) {
    const nw = Math.min(360, Math.max(360 / 256, view.w / factor));
    const nh = nw / 2;
    cx = cx === undefined ? view.x + view.w / 2 : cx;
    cy = cy === undefined ? view.y + view.h / 2 : cy;
    view = { x: cx - (cx - view.x) * nw / view.w, y: cy - (cy - view.y) * nh / view.h, w: nw, h: nh };
    zoom = Math.max(0, Math.min(8, Math.round(Math.log2(360 / view.w))));
    apply(); load();
  }
  $("#zoom-in").addEventListener("click", function () { zoomBy(2); });
  $("#zoom-out").addEventListener("click", function () { zoomBy(0.5); });
  $("#zoom-reset").addEventListener("click", function () { view = { x: -180, y: -90, w: 360, h: 180 }; zoom = 0; apply(); load(); });
  svg.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    const pt = svg.createSVGPoint(); pt.x = ev.clientX; pt.y = ev.clientY;
    const p = pt.matrixTransform(svg.getScreenCTM().inverse());
    zoomBy(ev.deltaY < 0 ? 2 : 0.5, p.x, p.y);
  }, { passive: false });
  let drag = null;
  svg.addEventListener("mousedown", function (ev) { drag = { x: ev.clientX, y: ev.clientY, vx: view.x, vy: view.y }; });
  window.addEventListener("mouseup", function () { drag = null; });
  svg.addEventListener("mousemove", function (ev) {
    if (!drag) return;
    const k = view.w / svg.getBoundingClientRect().width;
    view.x = drag.vx - (ev.clientX - drag.x) * k; view.y = drag.vy - (ev.clientY - drag.y) * k;
    apply();
  });
  load();
}

/* Events page: changing a select applies the filters. */
function setupFilters() {
  const form = $("#filters");
  if (!form) return;
  $$("select", form).forEach(function (s) { s.addEventListener("change", function () { form.requestSubmit(); }); });
  /* empty fields stay out of the URL */
  form.addEventListener("submit", function () {
    $$("input, select", form).forEach(function (el) { if (!el.value) el.disabled = true; });
  });
}

document.addEventListener("DOMContentLoaded", function () {
  setupArticle();
  setupReview();
  setupMap();
  setupFilters();
});
