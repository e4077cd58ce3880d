// Signed actor network: fetch /api/network for the chosen window and draw it as SVG
// with a small deterministic force layout. Only textContent/setAttribute are used,
// so names from articles can never become markup.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
                 "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"];
  var box = document.getElementById("network");
  if (!box) { return; }
  var months = (box.dataset.months || "").split(",").filter(Boolean);
  var slider = document.getElementById("window");
  var label = document.getElementById("window-label");
  var status = document.getElementById("network-status");
  var requestNo = 0;

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function monthEnd(ym) {
    var p = ym.split("-"), y = +p[0], m = +p[1];
    var last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    return y + "-" + pad(m) + "-" + pad(last);
  }
  function val(id) { var el = document.getElementById(id); return el ? el.value : ""; }

  function query() {
    var params = new URLSearchParams();
    var maxNodes = val("max_nodes") || box.dataset.maxNodes || "150";
    params.set("max_nodes", maxNodes);
    if (months.length && slider) {
      var i = +slider.value, span = +(val("span") || "0");
      params.set("end", monthEnd(months[i]));
      if (span > 0 && !box.dataset.cumulative) {
        params.set("start", months[Math.max(0, i - span + 1)] + "-01");
      }
      if (label) { label.textContent = months[i]; }
    }
    ["kind", "relation_type", "event_type", "country"].forEach(function (k) {
      var v = val(k);
      if (v) { params.set(k, v); }
    });
    return "/api/network?" + params.toString();
  }

  function layout(nodes, edges, w, h) {
    var n = nodes.length, pos = {}, k = Math.sqrt((w * h) / Math.max(n, 1)) * 0.7;
    nodes.forEach(function (d, i) {
      var a = (2 * Math.PI * i) / Math.max(n, 1);
      pos[d.id] = { x: w / 2 + (w / 3) * Math.cos(a), y: h / 2 + (h / 3) * Math.sin(a) };
    });
    var iterations = n > 300 ? 60 : 150;
    for (var it = 0; it < iterations; it++) {
      var t = (w / 10) * (1 - it / iterations) + 1, disp = {};
      nodes.forEach(function (d) { disp[d.id] = { x: 0, y: 0 }; });
      for (var i = 0; i < n; i++) {
        for (var j = i + 1; j < n; j++) {
          var a = pos[nodes[i].id], b = pos[nodes[j].id];
          var dx = a.x - b.x, dy = a.y - b.y, dist = Math.sqrt(dx * dx + dy * dy) || 0.01;
          var f = (k * k) / dist;
          disp[nodes[i].id].x += (dx / dist) * f; disp[nodes[i].id].y += (dy / dist) * f;
          disp[nodes[j].id].x -= (dx / dist) * f; disp[nodes[j].id].y -= (dy / dist) * f;
        }
      }
      edges.forEach(function (e) {
        var a = pos[e.a], b = pos[e.b];
        var dx = a.x - b.x, dy = a.y - b.y, dist = Math.sqrt(dx * dx + dy * dy) || 0.01;
        // conflict ties pull less, so opposed camps drift apart
        var f = ((dist * dist) / k) * (e.sign > 0 ? 1 : 0.3);
        disp[e.a].x -= (dx / dist) * f; disp[e.a].y -= (dy / dist) * f;
        disp[e.b].x += (dx / dist) * f; disp[e.b].y += (dy / dist) * f;
      });
      nodes.forEach(function (d) {
        var p = pos[d.id], m = disp[d.id];
        // gravity toward the centre keeps loose components from piling up on the border
        m.x += (w / 2 - p.x) * 0.4; m.y += (h / 2 - p.y) * 0.4;
        var len = Math.sqrt(m.x * m.x + m.y * m.y) || 0.01;
        p.x = Math.min(w - 20, Math.max(20, p.x + (m.x / len) * Math.min(len, t)));
        p.y = Math.min(h - 20, Math.max(20, p.y + (m.y / len) * Math.min(len, t)));
      });
    }
    return pos;
  }

  function el(name, attrs) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function draw(data) {
    var w = box.clientWidth || 800, h = box.classList.contains("big") ? 620 : 420;
    var pos = layout(data.nodes, data.edges, w, h);
    var svg = el("svg", { viewBox: "0 0 " + w + " " + h, "class": "net-svg" });
    data.edges.forEach(function (e) {
      var line = el("line", { x1: pos[e.a].x, y1: pos[e.a].y, x2: pos[e.b].x, y2: pos[e.b].y,
        "class": "tie " + (e.sign > 0 ? "pos" : e.sign < 0 ? "neg" : "zero"),
        "stroke-width": Math.min(6, 1 + Math.abs(e.weight) * 2) });
      var title = el("title", {});
      title.textContent = (e.relation_types.join(", ") || "events") + ": " + e.n_events +
        " events, " + e.n_relations + " relations, weight " + e.weight;
      line.appendChild(title);
      svg.appendChild(line);
    });
    data.nodes.forEach(function (d) {
      var link = el("a", { href: "/actors/" + encodeURIComponent(d.id), "class": "node",
                           "data-actor": d.id, "data-camp": d.camp });
      var r = Math.min(16, 5 + Math.sqrt(d.degree));
      link.appendChild(el("circle", { cx: pos[d.id].x, cy: pos[d.id].y, r: r,
        fill: PALETTE[(d.camp - 1) % PALETTE.length] }));
      var text = el("text", { x: pos[d.id].x + r + 2, y: pos[d.id].y + 4, "class": "node-label" });
      text.textContent = d.name;
      link.appendChild(text);
      var title = el("title", {});
      title.textContent = d.name + " (" + d.kind + ") camp " + d.camp;
      link.appendChild(title);
      svg.appendChild(link);
    });
    box.replaceChildren(svg);
    box.dataset.nodeCount = String(data.nodes.length);
    box.dataset.edgeCount = String(data.edges.length);
    if (status) {
      status.textContent = data.nodes.length + " actors, " + data.edges.length + " ties";
    }
  }

  function refresh() {
    var mine = ++requestNo;
    fetch(query(), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) { if (mine === requestNo) { draw(data); } })
      .catch(function (err) { if (status) { status.textContent = "Could not load: " + err; } });
  }

  if (slider) { slider.addEventListener("input", refresh); }
  var filters = document.getElementById("filters");
  if (filters) {
    filters.addEventListener("change", refresh);
    filters.addEventListener("submit", function (ev) { ev.preventDefault(); refresh(); });
  }
  refresh();
})();
