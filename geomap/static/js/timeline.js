/* geomap timeline: a strip under the map with every event where its date may fall.
 *
 * Each mark spans what its written date means (a year, a month, a day's tick); a mark closed
 * by an `end_date` fades in from its start and ends in a bar, since only its bound is known.
 * Thousands of events become a histogram on a canvas. Dragging on the strip (mouse, pen or
 * touch) or moving its two handles with the keys sets the `since`/`until` options at month
 * precision, which the page applies like any other filter. Play steps a window month by month.
 * Hovering or focusing a mark highlights its event on the map and in the list, and the reverse.
 * The geometry (scale, squeezed gaps, ticks, bins, brush to months) is in timecore.js.
 */
(function (page) {
  "use strict";

  var T = geomapTime;
  var ui = page.ui;
  var el = ui.el;
  var SVGNS = "http://www.w3.org/2000/svg";
  var MARK_LIMIT = 1000;       // more marks than this are drawn as a histogram
  var PLOT = 50;               // height of the marks, or of the histogram's bars
  var AXIS = 16;               // height of the axis under them
  var SPEEDS = [["½×", 1600], ["1×", 800], ["2×", 400], ["4×", 200]];
  /* During playback an event the window has just passed stays drawn this faintly, one step
   * after another, then goes; it is never counted as shown. */
  var FADE = [0.55, 0.3, 0.12];

  function svgEl(tag, attrs, parent) {
    var node = document.createElementNS(SVGNS, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  /**
   * The strip. api: {events, layers, list, shown(i)} from main.js; ctx.changed() applies
   * the options and writes the address, as the filter panel does.
   */
  function create(map, ctx, api) {
    var doc = ctx.doc, st = ctx.state, events = api.events;
    var n = events.length;
    var from = new Float64Array(n), to = new Float64Array(n), group = new Uint16Array(n);
    var spans = new Array(n);
    var kindIndex = Object.create(null);
    doc.kinds.forEach(function (k, i) { kindIndex[k.id] = i; });
    events.forEach(function (ev, i) {
      spans[i] = T.markSpan(ev.date, ev.end_date) ||
        { from: T.dayOf(ev.start), to: T.dayOf(ev.end) + 1, precision: "day", bound: false };
      from[i] = spans[i].from; to[i] = spans[i].to; group[i] = kindIndex[ev.kind];
    });
    var histogram = n > MARK_LIMIT;
    var sc = null, marks = [], markOf = new Array(n), lit = [];
    var playing = null, stepping = false;
    var age = new Uint8Array(n);  // playback steps since the event left the window (0: none)
    var fading = [];              // the events with an age
    var faded = new Map();        // feature -> the opacity it is drawn at, while fading

    /* ---- The elements ---- */
    var box = el("section", "gm-timeline");
    box.setAttribute("aria-label", "Timeline of events");
    var bar = el("div", "gm-tl-bar");
    var play = ui.button("gm-tl-play", "▶ Play");
    play.setAttribute("aria-pressed", "false");
    play.title = "Play month by month (K)";
    var back = ui.button("gm-tl-step", "‹", "Step back a month");
    back.title = "Step back a month (,)";
    var next = ui.button("gm-tl-step", "›", "Step forward a month");
    next.title = "Step forward a month (.)";
    var speed = el("select", "gm-tl-speed");
    speed.setAttribute("aria-label", "Playback speed");
    SPEEDS.forEach(function (s, i) {
      var o = el("option", null, s[0]);
      o.value = String(i);
      speed.appendChild(o);
    });
    speed.value = "1";
    var status = el("span", "gm-tl-status");
    status.setAttribute("role", "status");
    var clear = ui.button("gm-tl-clear", "All dates");
    clear.title = "Clear the date range";
    /* Shown while playing: what the faint marks are. */
    var note = el("span", "gm-tl-note");
    FADE.forEach(function (o) {
      var dot = el("span", "gm-tl-dot");
      dot.style.opacity = String(o);
      dot.setAttribute("aria-hidden", "true");
      note.appendChild(dot);
    });
    note.appendChild(document.createTextNode(" faded: passed in the last " + FADE.length +
      " steps, not counted"));
    [play, back, next, speed, status, note, clear].forEach(function (x) { bar.appendChild(x); });
    box.appendChild(bar);

    var plot = el("div", "gm-tl-plot");
    var canvas = el("canvas", "gm-tl-hist");
    canvas.setAttribute("aria-hidden", "true");
    var svg = svgEl("svg", { class: "gm-tl-svg" });
    var defs = svgEl("defs", {}, svg);
    doc.kinds.forEach(function (k, i) {
      var g = svgEl("linearGradient", { id: "gm-tl-fade-" + i }, defs);
      svgEl("stop", { offset: "0", "stop-color": k.color, "stop-opacity": "0.15" }, g);
      svgEl("stop", { offset: "1", "stop-color": k.color, "stop-opacity": "0.9" }, g);
    });
    var axisG = svgEl("g", { class: "gm-tl-axis", "aria-hidden": "true" }, svg);
    var marksG = svgEl("g", { class: "gm-tl-marks", role: "group",
      "aria-label": "Events by date; arrow keys move between them, Enter opens one" }, svg);
    var hl = svgEl("rect", { class: "gm-tl-hl", height: PLOT, y: 0, visibility: "hidden" }, svg);
    var sel = el("div", "gm-tl-sel");
    var handles = {
      since: el("div", "gm-tl-handle gm-tl-since"), until: el("div", "gm-tl-handle gm-tl-until")
    };
    [["since", "Timeline start (since)"], ["until", "Timeline end (until)"]].forEach(function (h) {
      var d = handles[h[0]];
      d.setAttribute("role", "slider");
      d.tabIndex = 0;
      d.setAttribute("aria-label", h[1]);
      d.dataset.edge = h[0];
      plot.appendChild(d);
    });
    var tip = el("div", "gm-tl-tip");
    tip.setAttribute("aria-hidden", "true");
    plot.appendChild(canvas);
    plot.appendChild(svg);
    plot.appendChild(sel);
    plot.appendChild(handles.since);
    plot.appendChild(handles.until);
    plot.appendChild(tip);
    box.appendChild(plot);
    var container = map.getContainer();
    container.appendChild(box);
    container.classList.add("gm-has-timeline");
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    ["pointerdown", "keydown"].forEach(function (t) {
      box.addEventListener(t, function (e) { e.stopPropagation(); });
    });

    /* ---- Drawing ---- */

    function width() { return Math.max(120, plot.clientWidth); }

    function layout() {
      var w = width();
      sc = T.scale(spans, w, { px: w < 600 ? 56 : 64 });
      svg.setAttribute("width", w);
      svg.setAttribute("height", PLOT + AXIS);
      drawAxis();
      if (histogram) drawHistogram(); else drawMarks();
      container.style.setProperty("--gm-tl-h", box.offsetHeight + "px");
    }

    function drawAxis() {
      axisG.textContent = "";
      svgEl("line", { x1: 0, x2: sc.width, y1: PLOT + 0.5, y2: PLOT + 0.5, class: "gm-tl-base" }, axisG);
      var lastLabel = -Infinity;
      T.ticks(sc, sc.width < 600 ? 30 : 34).forEach(function (t) {
        svgEl("line", { x1: t.px + 0.5, x2: t.px + 0.5, y1: t.major ? 0 : PLOT, y2: PLOT + (t.major ? 5 : 3),
          class: t.major ? "gm-tl-year" : "gm-tl-month" }, axisG);
        if (t.label && t.px - lastLabel > 26 && t.px < sc.width - 12) {
          var text = svgEl("text", { x: t.px + 2, y: PLOT + AXIS - 3,
            class: t.major ? "gm-tl-ylabel" : "gm-tl-mlabel" }, axisG);
          text.textContent = t.label;
          lastLabel = t.px;
        }
      });
      sc.segments.forEach(function (s) {
        if (!s.gap) return;
        var g = svgEl("g", { class: "gm-tl-gap" }, axisG);
        svgEl("rect", { x: s.p0, y: 0, width: s.p1 - s.p0, height: PLOT + AXIS }, g);
        [s.p0 + 3, s.p1 - 3].forEach(function (px) {
          svgEl("path", { d: "M" + (px - 3) + " " + (PLOT + 5) + "l6 -10", class: "gm-tl-break" }, g);
        });
        var title = svgEl("title", {}, g);
        title.textContent = "No events: " + s.label;
        var parts = s.label.split(" – ");
        var lines = ["no events"].concat(parts.length > 1 ? [parts[0] + " –", parts[1]] : parts);
        var mid = (s.p0 + s.p1) / 2;
        lines.forEach(function (line, i) {
          var t = svgEl("text", { x: mid, y: 12 + i * 11, "text-anchor": "middle",
            class: i ? "gm-tl-gaplabel" : "gm-tl-gapnone" }, g);
          t.textContent = line;
        });
      });
    }

    function drawMarks() {
      marksG.textContent = "";
      marks = [];
      var lefts = [], rights = [];
      for (var i = 0; i < n; i++) {
        lefts.push(T.x(sc, from[i]));
        rights.push(T.x(sc, to[i]));
      }
      var lane = T.lanes(lefts, rights.map(function (r, i) { return Math.max(r, lefts[i] + 2); }), 1);
      var laneCount = lane.reduce(function (a, b) { return Math.max(a, b + 1); }, 1);
      var h = Math.max(2, Math.min(9, Math.floor((PLOT - 4) / laneCount) - 1));
      var pitch = h + 1;
      T.orderBy(events, ["start", "end"]).forEach(function (i) {  // decode.byDate's order
        var ev = events[i], s = spans[i];
        var kind = ctx.kinds[ev.kind];
        var w = Math.max(3, rights[i] - lefts[i]);
        var y = PLOT - 2 - (lane[i] + 1) * pitch;
        var g = svgEl("g", { class: "gm-tl-mark gm-tl-" + s.precision + (s.bound ? " gm-tl-bound" : ""),
          role: "button", tabindex: "-1", "data-id": ev.id,
          "aria-label": kind.label + ": " + ev.title + ", " + ev.date_label }, marksG);
        svgEl("rect", { x: lefts[i], y: y, width: w, height: h, rx: s.precision === "day" ? 0 : 1.5,
          fill: s.bound ? "url(#gm-tl-fade-" + group[i] + ")" : kind.color,
          stroke: s.bound ? kind.color : "none", "stroke-dasharray": s.bound ? "2 2" : "none",
          "stroke-width": s.bound ? 0.8 : 0 }, g);
        if (s.bound) {
          svgEl("rect", { x: lefts[i] + w - 2, y: y - 1, width: 2, height: h + 2, fill: kind.color,
            class: "gm-tl-end" }, g);
        }
        markOf[i] = g;
        g.geomapEvent = ev;
        marks.push(g);
      });
      if (marks.length) marks[0].setAttribute("tabindex", "0");
      paintShown();
    }

    function drawHistogram() {
      var ratio = window.devicePixelRatio || 1;
      canvas.width = Math.round(sc.width * ratio);
      canvas.height = Math.round(PLOT * ratio);
      canvas.style.width = sc.width + "px";
      canvas.style.height = PLOT + "px";
      paintShown();
    }

    var histBins = null, histAll = null, perKind = null, keep = new Uint8Array(n);

    /** Paint the histogram; `flipped`: the events that came or went since the last paint
     * (their counts are moved; without it, or when they are many, every event is counted). */
    function paintHistogram(flipped) {
      if (!histBins) {
        histBins = T.bins(sc, 3);
        histAll = T.binCounts(histBins, from, to, new Uint16Array(n), 1, null)[0];
        perKind = null;
      }
      if (perKind && flipped && flipped.length < n / 4) {
        flipped.forEach(function (i) { keep[i] = api.shown(i) ? 1 : 0; });
        T.binUpdate(perKind, histBins, from, to, group, flipped, keep);
      } else {
        for (var i = 0; i < n; i++) keep[i] = api.shown(i) ? 1 : 0;
        perKind = T.binCounts(histBins, from, to, group, doc.kinds.length, keep);
      }
      var top = 0;
      for (var b = 0; b < histAll.length; b++) top = Math.max(top, histAll[b]);
      var c = canvas.getContext("2d");
      var ratio = canvas.width / sc.width;
      c.setTransform(ratio, 0, 0, ratio, 0, 0);
      c.clearRect(0, 0, sc.width, PLOT);
      var unit = top ? (PLOT - 4) / top : 0;
      histBins.forEach(function (bin, j) {
        var x0 = bin.p0 + 0.5, w = Math.max(1, bin.p1 - bin.p0 - 1);
        c.fillStyle = "#d5d9de";
        c.fillRect(x0, PLOT - histAll[j] * unit, w, histAll[j] * unit);
        var y = PLOT;
        doc.kinds.forEach(function (k, g) {
          var hgt = Math.max(0, perKind[g][j]) * unit;  // sums of fractions may drift below 0
          if (hgt < 0.01) return;
          c.fillStyle = k.color;
          c.fillRect(x0, y - hgt, w, hgt);
          y -= hgt;
        });
      });
    }

    function paintShown(flipped) {
      if (histogram) { paintHistogram(flipped); return; }
      for (var i = 0; i < n; i++) {
        if (markOf[i]) {
          markOf[i].classList.toggle("gm-tl-off", !api.shown(i));
          markOf[i].style.opacity = age[i] ? String(Math.max(0.18, FADE[age[i] - 1])) : "";
        }
      }
    }

    function paintBrush() {
      var o = st.options;
      var whole = (!o.since && !o.until);
      var px = T.rangePixels(sc, o.since, o.until);
      var left = Math.max(0, Math.min(px[0], sc.width)), right = Math.max(left, Math.min(px[1], sc.width));
      sel.style.left = left + "px";
      sel.style.width = (right - left) + "px";
      sel.classList.toggle("gm-tl-none", whole);
      handles.since.style.left = left + "px";
      handles.until.style.left = right + "px";
      var first = T.monthText(sc.first), last = T.monthText(sc.last - 1);
      handles.since.setAttribute("aria-valuetext",
        o.since ? T.rangeLabel(o.since, o.since) : "start, " + T.rangeLabel(first, first));
      handles.until.setAttribute("aria-valuetext",
        o.until ? T.rangeLabel(o.until, o.until) : "end, " + T.rangeLabel(last, last));
      handles.since.setAttribute("aria-valuenow", Math.round(left));
      handles.until.setAttribute("aria-valuenow", Math.round(right));
      ["since", "until"].forEach(function (k) {
        handles[k].setAttribute("aria-valuemin", "0");
        handles[k].setAttribute("aria-valuemax", String(Math.round(sc.width)));
      });
      status.textContent = "Dates: " + T.rangeLabel(o.since, o.until);
      clear.disabled = whole;
    }

    /* ---- Choosing a range ---- */

    /** Apply a range (null: all dates); `preview` applies it without writing the address,
     * which a drag writes once, when it ends. */
    function setRange(range, preview) {
      var o = st.options;
      if (range && T.wholeAxis(sc, range.since, range.until)) range = null;
      var since = range ? range.since : "", until = range ? range.until : "";
      if (since === o.since && until === o.until && !(previewed && !preview)) return;
      o.since = since;
      o.until = until;
      previewed = !!preview && !!ctx.apply;
      if (previewed) ctx.apply(); else ctx.changed();
    }
    var previewed = false;

    var framed = null;
    function setRangeSoon(range, preview) {
      if (framed === null) {
        requestAnimationFrame(function () {
          var r = framed;
          framed = null;
          setRange(r.range, r.preview);
        });
      }
      framed = { range: range, preview: preview };
    }

    function localX(e) { return e.clientX - plot.getBoundingClientRect().left; }

    var drag = null;
    plot.addEventListener("pointerdown", function (e) {
      if (e.button !== undefined && e.button > 0) return;
      stop();
      var edge = e.target.dataset && e.target.dataset.edge;
      var o = st.options, px = T.rangePixels(sc, o.since, o.until);
      drag = { id: e.pointerId, x0: localX(e), moved: false, edge: edge,
        fixed: edge === "since" ? px[1] - 1 : edge === "until" ? px[0] + 1 : null,
        target: e.target.closest ? e.target.closest(".gm-tl-mark") : null };
      try { plot.setPointerCapture(e.pointerId); } catch { /* not a capturable pointer */ }
      if (edge) e.preventDefault();
    });
    plot.addEventListener("pointermove", function (e) {
      if (!drag || e.pointerId !== drag.id) { hover(e); return; }
      var xNow = localX(e);
      if (!drag.moved && Math.abs(xNow - drag.x0) < 4) return;
      drag.moved = true;
      hideTip();
      var a = drag.fixed !== null ? drag.fixed : drag.x0;
      setRangeSoon(T.brushRange(sc, a, xNow), true);
    });
    function endDrag(e) {
      if (!drag || e.pointerId !== drag.id) return;
      var d = drag;
      drag = null;
      if (d.moved) setRangeSoon(T.brushRange(sc, d.fixed !== null ? d.fixed : d.x0, localX(e)), false);
      else if (d.target && e.type === "pointerup") ctx.choose(d.target.geomapEvent, d.target);
    }
    plot.addEventListener("pointerup", endDrag);
    plot.addEventListener("pointercancel", endDrag);

    Object.keys(handles).forEach(function (edge) {
      handles[edge].addEventListener("keydown", function (e) {
        var by = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1, PageDown: -12, PageUp: 12,
          Home: -100000, End: 100000 }[e.key];
        if (!by) return;
        e.preventDefault();
        stop();
        var r = T.moveEdge(sc, st.options.since, st.options.until, edge, by);
        /* A handle at the end of the axis leaves that side open. */
        if (T.monthFromText(r.since) === sc.first) r.since = "";
        if (T.monthFromText(r.until) === sc.last - 1) r.until = "";
        setRange(r.since || r.until ? r : null);
      });
    });
    clear.addEventListener("click", function () { stop(); setRange(null); });

    /* ---- Playback ---- */

    function stop() {
      if (!playing) return;
      clearTimeout(playing.timer);
      playing = null;
      play.textContent = "▶ Play";
      play.setAttribute("aria-pressed", "false");
      container.classList.remove("gm-playing");
      if (fading.length) { clearFades(); paintShown([]); }
    }

    /* ---- The fading trail: events the playing window has just passed ---- */

    /** One playback step later: the trail ages, events that just left join it. */
    function ageFades(flipped) {
      var next = [];
      fading.forEach(function (i) {
        age[i] = api.shown(i) || age[i] >= FADE.length ? 0 : age[i] + 1;
        if (age[i]) next.push(i);
      });
      flipped.forEach(function (i) {
        if (!api.shown(i) && !age[i]) { age[i] = 1; next.push(i); }
      });
      fading = next;
      drawFades();
    }

    function clearFades() {
      fading.forEach(function (i) { age[i] = 0; });
      fading = [];
      drawFades();
    }

    /** Draw each feature with fading events and none shown at its youngest event's opacity. */
    function drawFades() {
      if (!api.layers.fade) return;
      var want = new Map();
      fading.forEach(function (i) {
        var f = api.layers.featureOf[i], o = FADE[age[i] - 1];
        if (!f.onMap && !(want.get(f) >= o)) want.set(f, o);
      });
      faded.forEach(function (o, f) { if (!want.has(f)) api.layers.fade(f, 0); });
      want.forEach(function (o, f) { if (faded.get(f) !== o) api.layers.fade(f, o); });
      faded = want;
    }

    /** The window's length and where it is now among the playback steps. */
    function position() {
      var o = st.options;
      var ranged = o.since && o.until && !T.wholeAxis(sc, o.since, o.until);
      var length = ranged ? T.monthsBetween(o.since, o.until) : 1;
      var list = T.steps(sc, length);
      var at = ranged ? list.indexOf(T.monthFromText(o.since)) : -1;
      return { length: length, steps: list, at: at };
    }

    function step(by) {
      var p = position();
      if (!p.steps.length) return false;
      var i = p.at < 0 ? (by > 0 ? 0 : p.steps.length - 1) : p.at + by;
      if (i < 0 || i >= p.steps.length) return false;
      setRange(T.windowAt(p.steps[i], p.length));
      return i < p.steps.length - 1;
    }

    function tick() {
      if (!playing) return;
      stepping = true;
      var more;
      try { more = step(1); } finally { stepping = false; }
      if (!more) { stop(); return; }
      playing.timer = setTimeout(function () { tick(); }, SPEEDS[+speed.value][1]);
    }

    function start() {
      var p = position();
      if (p.at < 0 || p.at >= p.steps.length - 1) setRange(T.windowAt(p.steps[0], p.length));
      playing = { timer: null };
      play.textContent = "❚❚ Pause";
      play.setAttribute("aria-pressed", "true");
      container.classList.add("gm-playing");
      playing.timer = setTimeout(function () { tick(); }, SPEEDS[+speed.value][1]);
    }

    play.addEventListener("click", function () { if (playing) stop(); else start(); });
    back.addEventListener("click", function () { stop(); step(-1); });
    next.addEventListener("click", function () { stop(); step(1); });
    box.addEventListener("keydown", function (e) {
      var tag = e.target.tagName;
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || tag === "SELECT" ||
        tag === "INPUT") return;
      if (e.key === "," || e.key === ".") { e.preventDefault(); stop(); step(e.key === "," ? -1 : 1); }
      else if (e.key === "k" || e.key === "K" || (e.key === " " && tag !== "BUTTON")) {
        e.preventDefault();
        if (playing) stop(); else start();
      }
    });

    /* ---- Marks: keyboard, and linked highlighting with the map and the list ---- */

    marksG.addEventListener("keydown", function (e) {
      var at = marks.indexOf(e.target);
      if (at < 0) return;
      var to = { ArrowLeft: at - 1, ArrowRight: at + 1, Home: 0, End: marks.length - 1 }[e.key];
      if (to !== undefined) {
        e.preventDefault();
        to = Math.max(0, Math.min(marks.length - 1, to));
        marks[at].setAttribute("tabindex", "-1");
        marks[to].setAttribute("tabindex", "0");
        marks[to].focus();
      } else if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        ctx.choose(e.target.geomapEvent, e.target);
      }
    });
    marksG.addEventListener("focusin", function (e) {
      if (e.target.geomapEvent) { light([e.target.geomapEvent], true); showTip(e.target); }
    });
    marksG.addEventListener("focusout", function () { light([]); hideTip(); });

    var hovered = null;
    function hover(e) {
      var g = e.target.closest ? e.target.closest(".gm-tl-mark") : null;
      if (g === hovered) return;
      hovered = g;
      if (g) { light([g.geomapEvent], false); showTip(g); } else { light([]); hideTip(); }
    }
    plot.addEventListener("pointerleave", function () { hovered = null; light([]); hideTip(); });

    function showTip(g) {
      var ev = g.geomapEvent;
      tip.textContent = "";
      tip.appendChild(el("strong", null, ev.title));
      tip.appendChild(el("span", null, ev.date_label + " · " + ctx.kinds[ev.kind].label));
      var r = g.getBoundingClientRect(), p = plot.getBoundingClientRect();
      tip.style.display = "block";
      var left = Math.min(Math.max(0, r.left - p.left), p.width - tip.offsetWidth);
      tip.style.left = Math.max(0, left) + "px";
    }
    function hideTip() { tip.style.display = "none"; }

    /** Highlight these events on the map, in the list and on the strip (none: clear). */
    function light(list, scroll) {
      lit.forEach(function (item) { item.off(); });
      lit = [];
      list.forEach(function (ev) {
        var f = api.layers.featureOf[ev.index];
        if (f && f.onMap) {
          if (f.marker && f.marker.getElement()) {
            var m = f.marker.getElement();
            m.classList.add("gm-linked");
            lit.push({ off: function () { m.classList.remove("gm-linked"); } });
          } else if (!f.latlng) {
            api.layers.highlight(f, true);  // 3 px wider than the route's count makes it
            lit.push({ off: function () { api.layers.highlight(f, false); } });
          }
        }
        var b = api.list.buttonFor(ev.id);
        if (b) {
          b.classList.add("gm-linked");
          if (scroll && b.scrollIntoView) b.scrollIntoView({ block: "nearest" });
          lit.push({ off: function () { b.classList.remove("gm-linked"); } });
        }
        markStrip(ev);
      });
      if (!list.length) hl.setAttribute("visibility", "hidden");
    }

    /** Show an event's span on the strip (a band; its mark too when marks are drawn). */
    function markStrip(ev) {
      var i = ev.index;
      var left = T.x(sc, from[i]), right = Math.max(T.x(sc, to[i]), left + 2);
      hl.setAttribute("x", left - 1);
      hl.setAttribute("width", right - left + 2);
      hl.setAttribute("visibility", "visible");
      var g = markOf[i];
      if (g) {
        g.classList.add("gm-tl-lit");
        lit.push({ off: function () { g.classList.remove("gm-tl-lit"); } });
      }
    }

    function stripOnly(list) {
      lit.forEach(function (item) { item.off(); });
      lit = [];
      list.forEach(markStrip);
      if (!list.length) hl.setAttribute("visibility", "hidden");
    }

    var listBox = api.list.control.getContainer();
    function fromList(e) {
      var b = e.target.closest ? e.target.closest("button.gm-item") : null;
      var ev = b && events.filter(function (x) { return x.id === b.dataset.id; })[0];
      stripOnly(ev ? [ev] : []);
    }
    listBox.addEventListener("mouseover", fromList);
    listBox.addEventListener("focusin", fromList);
    listBox.addEventListener("mouseleave", function () { stripOnly([]); });
    listBox.addEventListener("focusout", function () { stripOnly([]); });

    function shownOf(f) { return f.events.filter(function (ev) { return api.shown(ev.index); }); }
    api.layers.hover.on("over", function (e) { stripOnly(shownOf(e.feature)); });
    api.layers.hover.on("out", function () { stripOnly([]); });
    container.addEventListener("focusin", function (e) {
      if (!e.target.classList || !e.target.classList.contains("gm-marker")) return;
      var f = api.layers.features.filter(function (x) {
        return x.marker && x.marker.getElement() === e.target;
      })[0];
      if (f) stripOnly(shownOf(f));
    });
    container.addEventListener("focusout", function (e) {
      if (e.target.classList && e.target.classList.contains("gm-marker")) stripOnly([]);
    });

    map.on("resize", function () { histBins = null; layout(); paintBrush(); });
    /* The controls at the bottom of the map stand above the strip, however tall it wraps. */
    if (window.ResizeObserver) {
      new window.ResizeObserver(function () {
        container.style.setProperty("--gm-tl-h", box.offsetHeight + "px");
      }).observe(box);
    }
    layout();

    return {
      element: box,
      /** After the filters were applied (`flipped`: the events that came or went, if known):
       * which marks are shown, the playback trail, where the brush is. */
      update: function (flipped) {
        if (playing && stepping) ageFades(flipped || []);
        else if (fading.length) clearFades();
        paintShown(flipped);
        paintBrush();
      },
      height: function () { return box.offsetHeight; }
    };
  }

  page.timeline = { create: create };
})(window.geomapPage = window.geomapPage || {});
