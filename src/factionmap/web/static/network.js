// The signed actor network on Cytoscape.js (bundled at build time, see Makefile `vendor`):
// fetch /api/network for the window and filters in the controls, lay it out with fcose,
// label the best-evidenced actors whose labels do not collide, light up neighbours on
// hover or tap. The controls mirror the page URL, so Back and Forward restore them.
// Names from articles only ever reach the page as textContent or canvas text.
(function () {
  "use strict";
  var box = document.getElementById("network");
  if (!box) { return; }
  var statusLine = document.getElementById("network-status");
  var legend = document.getElementById("legend");
  var info = document.getElementById("node-info");
  var form = document.getElementById("filters");
  var slider = document.getElementById("window");
  var monthLabel = document.getElementById("window-label");
  var months = (box.dataset.months || "").split(",").filter(Boolean);
  var cumulative = !!box.dataset.cumulative;
  var CONTROLS = ["span", "ties", "kind", "relation_type", "event_type", "country",
                  "max_nodes", "labels", "min_outlets"];
  var API_FILTERS = ["kind", "relation_type", "event_type", "country", "ties"];
  var MAX_NODES = 500, MAX_OUTLETS = 1000;
  // Camps, their names and colours come from the API (factionmap.analysis.blocs: named by
  // core members, colours stable across windows). Camp 0 is no camp: media outlets, generic
  // or unnamed agents and actors without a tie good enough to place them.
  var NO_CAMP = 0, NO_CAMP_COLOUR = "#9e9e9e";
  var LEGEND_CAMPS = 12;  // camps listed one by one; the rest share a line
  var SIGN_COLOUR = { pos: "#2e9d4f", neg: "#d03a3a", zero: "#9aa1ad" };
  var SHAPES = { state: "diamond", armed_group: "round-rectangle", party: "hexagon",
                 government_body: "vee", person: "ellipse", international_org: "star",
                 other: "triangle" };
  var SHAPE_GLYPH = { diamond: "◆", "round-rectangle": "■", hexagon: "⬢", vee: "▼",
                      ellipse: "●", star: "★", triangle: "▲" };
  var STRUCTURE = { member_of: 1, leads: 1, role: 1 };
  var LABEL_FONT = 13, LABEL_FAMILY = "Helvetica Neue, Helvetica, Arial, sans-serif";
  var SIGN_NAMES = { pos: "cooperation (+)", neg: "conflict (−)", zero: "neutral (0)" };
  var TYPE_NAMES = { events: "events", relation: "stated relations only",
                     structure: "membership / leadership" };

  var cy = null;
  var requestNo = 0;
  var pinned = null;
  var defaults = {};
  var timer = null;

  function byId(id) { return document.getElementById(id); }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function monthEnd(ym) {
    var p = ym.split("-"), y = +p[0], m = +p[1];
    return y + "-" + pad(m) + "-" + pad(new Date(Date.UTC(y, m, 0)).getUTCDate());
  }
  function clampInt(value, lo, hi, fallback) {
    var n = parseInt(value, 10);
    if (isNaN(n)) { return fallback; }
    return Math.max(lo, Math.min(hi, n));
  }
  function text(tag, content, cls) {
    var el = document.createElement(tag);
    if (content !== undefined && content !== null) { el.textContent = String(content); }
    if (cls) { el.className = cls; }
    return el;
  }
  function setStatus(message) { if (statusLine) { statusLine.textContent = message; } }

  // ---- the URL and the controls ----------------------------------------------------

  // a control rendered with the page's current value says its default (data-default)
  CONTROLS.forEach(function (k) {
    var el = byId(k);
    if (el) { defaults[k] = el.dataset.default !== undefined ? el.dataset.default : el.value; }
  });

  function setControl(el, value) {
    if (el.tagName === "SELECT") {
      var known = Array.prototype.some.call(el.options, function (o) { return o.value === value; });
      el.value = known ? value : defaults[el.id];
    } else {
      el.value = value;
    }
  }

  function readUrl() {
    var q = new URLSearchParams(window.location.search);
    if (slider) {
      var i = months.indexOf(q.get("month") || "");
      slider.value = String(i >= 0 ? i : Math.max(0, months.length - 1));
    }
    CONTROLS.forEach(function (k) {
      var el = byId(k);
      if (el) { setControl(el, q.has(k) ? q.get(k) : defaults[k]); }
    });
  }

  function pageQuery() {
    var q = new URLSearchParams();
    if (slider && months.length && +slider.value !== months.length - 1) {
      q.set("month", months[+slider.value]);
    }
    CONTROLS.forEach(function (k) {
      var el = byId(k);
      if (el && el.value !== defaults[k]) { q.set(k, el.value); }
    });
    return q.toString();
  }

  function apiQuery() {
    var q = new URLSearchParams();
    var nodes = byId("max_nodes");
    var fallback = +(box.dataset.maxNodes || "150");
    q.set("max_nodes", String(clampInt(nodes ? nodes.value : fallback, 1, MAX_NODES, fallback)));
    if (months.length && slider) {
      var i = +slider.value, span = +((byId("span") || {}).value || "0");
      q.set("end", monthEnd(months[i]));
      if (span > 0 && !cumulative) {
        q.set("start", months[Math.max(0, i - span + 1)] + "-01");
      }
      if (monthLabel) { monthLabel.textContent = months[i]; }
    }
    var outlets = byId("min_outlets");
    var least = outlets ? clampInt(outlets.value, 1, MAX_OUTLETS, 1) : 1;
    if (least > 1) { q.set("min_outlets", String(least)); }
    API_FILTERS.forEach(function (k) {
      var el = byId(k), v = el ? el.value.trim() : "";
      if (k === "country") { v = v.toUpperCase(); }
      if (v && !(k === "ties" && v === "all")) { q.set(k, v); }
    });
    return "/api/network?" + q.toString();
  }

  function commit() {
    var q = pageQuery();
    if (q !== window.location.search.replace(/^\?/, "")) {
      window.history.pushState(null, "", q ? "?" + q : window.location.pathname);
    }
    refresh();
  }

  // ---- drawing ---------------------------------------------------------------------

  function edgeType(e) {
    if (e.n_events > 0) { return "events"; }
    if (e.n_relations > 0) { return "relation"; }
    var structural = e.relation_types.some(function (t) { return STRUCTURE[t]; });
    return structural ? "structure" : "relation";
  }
  function signKey(sign) { return sign > 0 ? "pos" : sign < 0 ? "neg" : "zero"; }

  // The API's camps (id, name, colour), with how many of the drawn actors each holds.
  function campInfo(data) {
    var byId = {}, size = {};
    (data.camps || []).forEach(function (c) { byId[c.id] = c; });
    data.nodes.forEach(function (n) {
      var c = byId[n.camp] ? n.camp : NO_CAMP;
      size[c] = (size[c] || 0) + 1;
    });
    var listed = (data.camps || []).filter(function (c) { return size[c.id]; })
      .sort(function (a, b) { return size[b.id] - size[a.id] || a.id - b.id; });
    return { byId: byId, size: size, listed: listed };
  }
  function nodeColour(n, camps) {
    if (n.camp === NO_CAMP || !camps.byId[n.camp]) { return NO_CAMP_COLOUR; }
    return n.colour || camps.byId[n.camp].colour || NO_CAMP_COLOUR;
  }
  function campLabel(camp, camps) {
    var c = camps.byId[camp];
    return c ? "camp " + c.name : "no camp";
  }

  function style() {
    return [
      { selector: "node", style: {
        "background-color": "data(colour)", shape: "data(shape)",
        width: "data(size)", height: "data(size)", label: "",
        "font-size": LABEL_FONT, "font-family": LABEL_FAMILY, color: "#1d2330",
        "text-valign": "bottom", "text-margin-y": 2,
        "text-background-color": "#ffffff", "text-background-opacity": 0.8,
        "text-background-padding": 1, "border-width": 1, "border-color": "#ffffff",
        "min-zoomed-font-size": 6 } },
      { selector: "node.labelled, node.hover, node.near", style: { label: "data(name)" } },
      // a label is drawn with its node: labelled nodes above the rest, or a neighbour's
      // body covers the name ("onald Trum")
      { selector: "node.labelled", style: { "z-index": 5 } },
      { selector: "node.hover", style: { "border-width": 3, "border-color": "#1d2330",
                                         "z-index": 20, "font-weight": "bold" } },
      { selector: "edge", style: {
        width: "data(width)", "line-color": "data(colour)", "line-style": "data(line)",
        "curve-style": "haystack", opacity: 0.45 } },
      { selector: "edge.near", style: { opacity: 1, "z-index": 10 } },
      { selector: ".faded", style: { opacity: 0.12, "text-opacity": 0 } }
    ];
  }

  function elements(data, camps) {
    var els = [];
    data.nodes.forEach(function (n) {
      els.push({ group: "nodes", data: {
        id: String(n.id), actor: n.id, name: n.name, kind: n.kind, camp: n.camp,
        degree: n.degree, country: n.country || "",
        colour: nodeColour(n, camps), campName: campLabel(n.camp, camps), shape: SHAPES[n.kind] || "triangle",
        size: Math.min(46, 12 + 3 * Math.sqrt(n.degree)) } });
    });
    data.edges.forEach(function (e) {
      var sign = signKey(e.sign), type = edgeType(e);
      els.push({ group: "edges", data: {
        id: "e" + e.a + "-" + e.b, source: String(e.a), target: String(e.b),
        weight: e.weight, sign: sign, type: type, n_events: e.n_events,
        n_relations: e.n_relations, relation_types: e.relation_types, in_camps: !!e.in_camps,
        colour: SIGN_COLOUR[sign],
        line: type === "events" ? "solid" : type === "relation" ? "dashed" : "dotted",
        width: Math.min(7, 1 + 2.5 * Math.abs(e.weight)) } });
    });
    return els;
  }

  // Labels for the best-evidenced actors, in order, skipping any whose label box would
  // overlap a label or the body of a labelled node already placed (or whose body would
  // cover a placed label); the rest show theirs on hover. Boxes are measured here
  // (model coordinates, label under the node) rather than asked of the renderer, which
  // only knows a label's size once it has drawn it.
  var measure = document.createElement("canvas").getContext("2d");
  function labelBox(node) {
    measure.font = LABEL_FONT + "px " + LABEL_FAMILY;
    // a few pixels of margin round the drawn label (its background pads it by one)
    var w = measure.measureText(node.data("name")).width + 10, h = LABEL_FONT + 8;
    var p = node.position(), top = p.y + node.height() / 2 - 1;
    return { x1: p.x - w / 2, x2: p.x + w / 2, y1: top, y2: top + h };
  }
  function bodyBox(node) {
    var p = node.position(), w = node.outerWidth() / 2, h = node.outerHeight() / 2;
    return { x1: p.x - w, x2: p.x + w, y1: p.y - h, y2: p.y + h };
  }
  function overlaps(a, b) { return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2; }
  function placeLabels() {
    var limit = clampInt((byId("labels") || {}).value || box.dataset.labels, 0, 200, 30);
    var labels = [], bodies = [];
    cy.nodes().removeClass("labelled");
    var ranked = cy.nodes().sort(function (a, b) {
      return b.data("degree") - a.data("degree") || a.data("actor") - b.data("actor");
    });
    for (var i = 0; i < ranked.length && labels.length < limit; i++) {
      var bb = labelBox(ranked[i]), body = bodyBox(ranked[i]);
      var clash = labels.some(function (p) { return overlaps(bb, p) || overlaps(body, p); }) ||
        bodies.some(function (p) { return overlaps(bb, p); });
      if (!clash) { ranked[i].addClass("labelled"); labels.push(bb); bodies.push(body); }
    }
    box.dataset.labelCount = String(labels.length);
  }

  function neighbourhood(node) {
    cy.batch(function () {
      cy.elements().removeClass("near hover").addClass("faded");
      var near = node.closedNeighborhood();
      near.removeClass("faded").addClass("near");
      node.addClass("hover");
    });
    box.dataset.highlighted = node.id();
  }
  function clearHighlight() {
    cy.elements().removeClass("near hover faded");
    delete box.dataset.highlighted;
  }

  function showNode(node) {
    if (!info) { return; }
    info.replaceChildren();
    var link = text("a", "Open " + node.data("name"));
    link.href = "/actors/" + encodeURIComponent(node.data("actor"));
    link.id = "node-open";
    info.appendChild(link);
    info.appendChild(text("span", " · " + node.data("kind").replace(/_/g, " ") +
      (node.data("country") ? " · " + node.data("country") : "") + " · " +
      node.data("campName") + " · " + node.data("degree") + " pieces of evidence"));
    var names = node.neighborhood("node").map(function (n) { return n.data("name"); });
    if (names.length) {
      info.appendChild(text("div", "Ties with: " + names.sort().join(", "), "neighbours"));
      showOutlets(node);
    }
  }
  // How many independent outlets report its stated ties with the actors drawn beside it
  // (/api/relations carries each tie's corroboration; the network's ties do not).
  function showOutlets(node) {
    var id = node.data("actor");
    fetch("/api/relations?limit=200&actor=" + encodeURIComponent(id),
          { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (page) {
        if (!page || pinned !== node || !info) { return; }
        var best = {};
        page.items.forEach(function (r) {
          var other = r.subject_actor_id === id ? r.object_actor_id : r.subject_actor_id;
          if (other === null || other === id || !r.outlets) { return; }
          var near = cy.getElementById(String(other));
          if (!near.length || !node.edgesWith(near).length) { return; }
          var name = near.data("name");
          best[name] = Math.max(best[name] || 0, r.outlets);
        });
        var names = Object.keys(best).sort(function (a, b) { return best[b] - best[a] || (a < b ? -1 : 1); });
        var stale = info.querySelector(".outlets");
        if (stale) { stale.remove(); }
        if (!names.length) { return; }
        info.appendChild(text("div", "Outlets reporting its stated ties: " + names.map(function (n) {
          return n + " " + best[n];
        }).join(", "), "outlets"));
        box.dataset.outlets = String(names.length);
      })
      .catch(function () { /* the panel simply goes without outlet counts */ });
  }
  function showEdge(edge) {
    if (!info || pinned) { return; }
    var d = edge.data();
    info.replaceChildren(text("span", edge.source().data("name") + " — " +
      edge.target().data("name") + ": " + SIGN_NAMES[d.sign] + ", weight " + d.weight + "; " +
      d.n_events + " events, " + d.n_relations + " stated relations" +
      (d.relation_types.length ? " (" + d.relation_types.join(", ").replace(/_/g, " ") + ")" : "") +
      (d.in_camps ? "; counts for camps" : "; too little evidence or confidence to place camps")));
  }

  function legendList(title, entries, id) {
    var section = document.createElement("section");
    section.id = id;
    section.appendChild(text("h3", title));
    var list = document.createElement("ul");
    entries.forEach(function (entry) {
      var li = document.createElement("li");
      li.dataset.key = entry.key;
      li.appendChild(entry.mark);
      li.appendChild(text("span", entry.label));
      li.appendChild(text("span", entry.count, "count"));
      list.appendChild(li);
    });
    section.appendChild(list);
    return section;
  }

  function drawLegend(data, camps) {
    if (!legend) { return; }
    var signs = { pos: 0, neg: 0, zero: 0 }, types = { events: 0, relation: 0, structure: 0 };
    var relTypes = {}, kinds = {};
    data.edges.forEach(function (e) {
      signs[signKey(e.sign)] += 1;
      types[edgeType(e)] += 1;
      e.relation_types.forEach(function (t) { relTypes[t] = (relTypes[t] || 0) + 1; });
    });
    data.nodes.forEach(function (n) { kinds[n.kind] = (kinds[n.kind] || 0) + 1; });
    var parts = [];
    parts.push(legendList("Tie sign (colour)", Object.keys(signs).map(function (k) {
      return { key: k, label: SIGN_NAMES[k], count: signs[k], mark: text("span", "", "swatch sign-" + k) };
    }), "legend-signs"));
    parts.push(legendList("Tie evidence (line)", Object.keys(types).map(function (k) {
      return { key: k, label: TYPE_NAMES[k], count: types[k], mark: text("span", "", "swatch type-" + k) };
    }), "legend-types"));
    var rel = Object.keys(relTypes).sort();
    if (rel.length) {
      parts.push(legendList("Relation types in view", rel.map(function (k) {
        return { key: k, label: k.replace(/_/g, " "), count: relTypes[k], mark: text("span", "", "shape") };
      }), "legend-relations"));
    }
    parts.push(legendList("Actor kind (shape)", Object.keys(kinds).sort().map(function (k) {
      return { key: k, label: k.replace(/_/g, " "), count: kinds[k],
               mark: text("span", SHAPE_GLYPH[SHAPES[k] || "triangle"], "shape") };
    }), "legend-kinds"));
    function dot(colour) {
      var mark = text("span", "", "dot");
      if (colour) { mark.style.backgroundColor = colour; }  // CSSOM, which the CSP allows
      return mark;
    }
    var campEntries = camps.listed.slice(0, LEGEND_CAMPS).map(function (c) {
      return { key: "camp-" + c.id, label: c.name, count: camps.size[c.id], mark: dot(c.colour) };
    });
    var rest = camps.listed.slice(LEGEND_CAMPS);
    if (rest.length) {
      campEntries.push({ key: "camp-more", label: rest.length + " more camps",
                         count: rest.reduce(function (n, c) { return n + camps.size[c.id]; }, 0),
                         mark: dot(null) });
    }
    if (camps.size[NO_CAMP]) {
      campEntries.push({ key: "camp-0", label: "no camp (generic, unnamed or not placed)",
                         count: camps.size[NO_CAMP], mark: dot(NO_CAMP_COLOUR) });
    }
    parts.push(legendList("Camp (colour), named by its core members", campEntries, "legend-camps"));
    legend.replaceChildren.apply(legend, parts);
  }

  function layoutOptions(n) {
    var fcose = typeof window.cytoscapeFcose !== "undefined";
    if (!fcose) {
      return { name: "cose", animate: false, randomize: true, nodeRepulsion: function () { return 9000; } };
    }
    return {
      name: "fcose", quality: n > 300 ? "draft" : "default", animate: false, randomize: true,
      packComponents: true, nodeSeparation: 60, nodeRepulsion: function () { return 9000; },
      // conflict ties are kept long and slack, so opposed camps sit apart
      idealEdgeLength: function (e) { return e.data("sign") === "neg" ? 320 : 70; },
      edgeElasticity: function (e) { return e.data("sign") === "neg" ? 0.005 : 0.45; },
      gravity: 0.3, numIter: 2500
    };
  }

  function draw(data) {
    var camps = campInfo(data);
    if (cy) { cy.destroy(); }
    pinned = null;
    if (info) { info.replaceChildren(); }
    cy = window.cytoscape({
      container: box, elements: elements(data, camps), style: style(),
      minZoom: 0.08, maxZoom: 5, boxSelectionEnabled: false
    });
    window.factionmapNetwork = cy;  // for the browser tests and the console
    // Laid out on the cooperative ties alone: a conflict tie pulling two rivals together
    // is what made the old view a hairball. Conflict ties are drawn between the camps.
    cy.elements().not("edge[sign = 'neg']").layout(layoutOptions(data.nodes.length)).run();
    cy.fit(undefined, 20);
    placeLabels();
    drawLegend(data, camps);

    cy.on("mouseover", "node", function (ev) { if (!pinned) { neighbourhood(ev.target); } });
    cy.on("mouseout", "node", function () { if (!pinned) { clearHighlight(); } });
    cy.on("mouseover", "edge", function (ev) { showEdge(ev.target); });
    cy.on("tap", "node", function (ev) {
      pinned = ev.target;
      neighbourhood(ev.target);
      showNode(ev.target);
    });
    cy.on("tap", function (ev) {
      if (ev.target === cy) { pinned = null; clearHighlight(); if (info) { info.replaceChildren(); } }
    });
    cy.on("dbltap", "node", function (ev) {
      window.location.href = "/actors/" + encodeURIComponent(ev.target.data("actor"));
    });

    box.dataset.nodeCount = String(data.nodes.length);
    box.dataset.edgeCount = String(data.edges.length);
    box.dataset.query = window.location.search;
    box.dataset.state = "ready";
    setStatus(data.nodes.length + " actors, " + data.edges.length + " ties" +
      (data.nodes.length ? "; labels on the " + box.dataset.labelCount +
       " best-evidenced that fit, hover for the rest" : ""));
  }

  function refresh() {
    var mine = ++requestNo;
    box.dataset.state = "loading";
    if (typeof window.cytoscape === "undefined") {
      setStatus("The graph library is not bundled in this installation (run make install).");
      box.dataset.state = "error";
      return;
    }
    fetch(apiQuery(), { headers: { Accept: "application/json" } })
      .then(function (r) {
        return r.json().then(function (body) {
          if (!r.ok) { throw new Error(body.detail || ("HTTP " + r.status)); }
          return body;
        });
      })
      .then(function (data) { if (mine === requestNo) { draw(data); } })
      .catch(function (err) {
        if (mine !== requestNo) { return; }
        box.dataset.state = "error";
        setStatus("Could not load the network: " + err.message);
      });
  }

  function later() {
    if (timer) { window.clearTimeout(timer); }
    timer = window.setTimeout(commit, 150);  // a dragged slider fires many inputs
  }

  function zoomBy(factor) {
    if (!cy) { return; }
    cy.zoom({ level: cy.zoom() * factor,
              renderedPosition: { x: box.clientWidth / 2, y: box.clientHeight / 2 } });
  }
  var zin = byId("zoom-in"), zout = byId("zoom-out"), zfit = byId("zoom-fit");
  if (zin) { zin.addEventListener("click", function () { zoomBy(1.4); }); }
  if (zout) { zout.addEventListener("click", function () { zoomBy(1 / 1.4); }); }
  if (zfit) { zfit.addEventListener("click", function () { if (cy) { cy.fit(undefined, 20); } }); }

  if (typeof window.cytoscape !== "undefined" && typeof window.cytoscapeFcose !== "undefined") {
    try { window.cytoscape.use(window.cytoscapeFcose); } catch (e) { /* registered already */ }
  }
  if (slider) { slider.addEventListener("input", later); }
  if (form) {
    form.addEventListener("change", function (ev) { if (ev.target !== slider) { commit(); } });
    form.addEventListener("submit", function (ev) { ev.preventDefault(); commit(); });
  }
  window.addEventListener("popstate", function () { readUrl(); refresh(); });
  readUrl();
  refresh();
})();
