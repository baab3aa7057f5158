/* geomap panel: the filter panel and the legend (kind toggles, every mark explained).
 *
 * Controls edit CLI-shaped options (`year`, `actor`, `kind`, `confidence`); the page applies
 * them through the core's `criteria`/`matches`, the same rules as `geomap render --…`.
 */
(function (page) {
  "use strict";

  var ui = page.ui;
  var el = ui.el;

  function stopMapEvents(node) {
    L.DomEvent.disableClickPropagation(node);
    L.DomEvent.disableScrollPropagation(node);
  }

  function collapsible(className, title, open) {
    var outer = el("details", className);
    outer.open = open;
    outer.appendChild(el("summary", null, title));
    stopMapEvents(outer);
    return outer;
  }

  function checkbox(text, onChange) {
    var wrap = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.addEventListener("change", function () { onChange(box.checked); });
    wrap.appendChild(box);
    wrap.appendChild(document.createTextNode(" " + text));
    return { label: wrap, box: box };
  }

  /** The filter panel. `st` holds the options; `changed()` applies and writes the address. */
  function filters(map, ctx, open) {
    var controls = {};
    var doc = ctx.doc, years = ctx.years, st = ctx.state;
    var control = L.control({ position: "topleft" });
    control.onAdd = function () {
      var outer = collapsible("gm-panel", "Filter", open);
      outer.setAttribute("aria-label", "Filter events");
      var box = el("div");
      outer.appendChild(box);

      var yearSet = el("fieldset");
      yearSet.appendChild(el("legend", null, "Years "));
      controls.yearsLabel = el("span", "gm-years");
      yearSet.firstChild.appendChild(controls.yearsLabel);
      ["y0", "y1"].forEach(function (name) {
        var input = el("input");
        input.type = "range"; input.min = years[0]; input.max = years[1]; input.step = 1;
        input.name = name;
        input.setAttribute("aria-label", name === "y0" ? "From year" : "To year");
        input.addEventListener("input", function () {
          var y0 = +controls.y0.value, y1 = +controls.y1.value;
          if (y0 > y1) { if (name === "y0") y1 = y0; else y0 = y1; }
          st.options.year = y0 === years[0] && y1 === years[1] ? []
            : [y0 === y1 ? String(y0) : y0 + "-" + y1];
          ctx.changed();
        });
        controls[name] = input;
        yearSet.appendChild(input);
      });
      box.appendChild(yearSet);
      box.appendChild(dateFields(controls, ctx));
      box.appendChild(spaceFields(map, controls, ctx));
      if ((doc.attribute_names || []).length) box.appendChild(columnFields(controls, ctx));

      var confSet = el("fieldset");
      confSet.appendChild(el("legend", null, "Confidence at least"));
      controls.conf = doc.levels.map(function (level, i) {
        var wrap = el("label");
        var radio = el("input");
        radio.type = "radio"; radio.name = "gm-confidence"; radio.value = level;
        radio.addEventListener("change", function () {
          st.options.confidence = i ? level : "";
          ctx.changed();
        });
        wrap.appendChild(radio);
        wrap.appendChild(document.createTextNode(" " + level));
        confSet.appendChild(wrap);
        return radio;
      });
      var originsBox = checkbox("At least two independent origins", function (on) {
        st.options.origins = on ? "2" : "";
        ctx.changed();
      });
      originsBox.label.title = "Sources that repeat another source count as one origin";
      controls.origins = originsBox.box;
      confSet.appendChild(originsBox.label);
      box.appendChild(confSet);

      var actorSet = el("fieldset");
      actorSet.appendChild(el("legend", null, "Actors"));
      var search = el("input");
      search.type = "search"; search.placeholder = "Find an actor…";
      search.setAttribute("aria-label", "Find an actor");
      actorSet.appendChild(search);
      var list = el("div", "gm-actors");
      controls.actorBoxes = Object.create(null);
      var rows = Object.create(null);
      ctx.actors.list.forEach(function (a) {
        var item = checkbox(a.name + " (" + a.count + ")", function (on) {
          var keys = st.crit.actors.filter(function (k) { return k !== a.key && ctx.actors.byKey[k]; });
          if (on) keys.push(a.key);
          st.options.actor = keys.map(function (k) { return ctx.actors.byKey[k].name; });
          ctx.changed();
        });
        controls.actorBoxes[a.key] = item.box;
        rows[a.key] = item.label;
        list.appendChild(item.label);
      });
      search.addEventListener("input", function () {
        var q = geomapCore.fold(search.value);
        ctx.actors.list.forEach(function (a) {
          rows[a.key].style.display = a.key.indexOf(q) >= 0 ? "" : "none";
        });
      });
      actorSet.appendChild(list);
      box.appendChild(actorSet);

      controls.showing = el("div", "gm-showing");
      controls.showing.setAttribute("role", "status");
      box.appendChild(controls.showing);
      controls.note = el("p", "gm-note");
      controls.note.id = "gm-filter-note";
      controls.note.hidden = true;
      box.appendChild(controls.note);
      var reset = ui.button("gm-reset", "Reset filters");
      reset.addEventListener("click", function () { ctx.reset(); });
      box.appendChild(reset);
      return outer;
    };
    control.addTo(map);

    function update(shown, total) {
      var crit = st.crit;
      controls.showing.textContent = "Showing " + shown + " of " + total + " events";
      var y0 = years[1], y1 = years[0];
      crit.years.forEach(function (y) { y0 = Math.min(y0, y[0]); y1 = Math.max(y1, y[1]); });
      if (!crit.years.length) { y0 = years[0]; y1 = years[1]; }
      y0 = Math.max(years[0], Math.min(y0, years[1]));
      y1 = Math.min(years[1], Math.max(y1, years[0]));
      controls.y0.value = y0; controls.y1.value = y1;
      controls.yearsLabel.textContent = y0 === y1 ? String(y0) : y0 + " – " + y1;
      controls.conf.forEach(function (r, i) { r.checked = i === crit.minLevel; });
      controls.origins.checked = crit.minOrigins >= 2;
      updateDateFields(controls, st);
      updateSpaceFields(controls, ctx);
      if (controls.columns) updateColumnFields(controls, ctx);
      var ignored = crit.ignored.map(function (x) { return x[0] + "=" + x[1]; });
      controls.note.hidden = !ignored.length;
      controls.note.textContent = ignored.length
        ? "Not applied (not understood): " + ignored.join("; ") : "";
      Object.keys(controls.actorBoxes).forEach(function (k) {
        controls.actorBoxes[k].checked = crit.actors.indexOf(k) >= 0;
      });
    }

    return { control: control, update: update };
  }

  /* `since`, `until` and `place`, typed as on the command line (`2020-05`, `Caracas; Tehran`). */
  var TYPED = [["since", "Since", "YYYY-MM"], ["until", "Until", "YYYY-MM"],
    ["place", "Place", "a place; another"]];

  function dateFields(controls, ctx) {
    var set = el("fieldset", "gm-typed");
    set.appendChild(el("legend", null, "Dates and places"));
    var names = el("datalist");
    names.id = "gm-place-names";
    ctx.doc.places.forEach(function (p) { names.appendChild(el("option", null, p.name)); });
    set.appendChild(names);
    TYPED.forEach(function (t) {
      var wrap = el("label", "gm-typed-" + t[0]);
      wrap.appendChild(el("span", null, t[1]));
      var input = el("input");
      input.type = "text";
      input.name = t[0];
      input.placeholder = t[2];
      input.autocomplete = "off";
      if (t[0] === "place") input.setAttribute("list", names.id);
      input.addEventListener("change", function () {
        var v = input.value.trim();
        if (t[0] === "place") {
          ctx.state.options.place = v.split(";").map(function (x) { return x.trim(); }).filter(Boolean);
        } else {
          ctx.state.options[t[0]] = v;
        }
        ctx.changed();
      });
      controls[t[0]] = input;
      wrap.appendChild(input);
      set.appendChild(wrap);
    });
    return set;
  }

  function updateDateFields(controls, st) {
    TYPED.forEach(function (t) {
      var key = t[0], input = controls[key];
      var value = key === "place" ? st.options.place.join("; ") : st.options[key];
      if (document.activeElement !== input) input.value = value;
      var bad = st.crit.ignored.some(function (x) { return x[0] === key; });
      if (bad) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
    });
  }

  /* ---- Space: near a point, in a box, within a country (--near, --bbox, --within) ---- */

  function subsection(className, title, open) {
    var part = el("details", "gm-sub " + className);
    part.open = open;
    part.appendChild(el("summary", null, title));
    return part;
  }

  /* A row of number fields that together make one option's value (`near`, `bbox`). */
  function numberRow(controls, ctx, option, labels) {
    var row = el("div", "gm-numbers gm-" + option);
    var inputs = labels.map(function (l) {
      var wrap = el("label");
      wrap.appendChild(el("span", null, l[0]));
      var input = el("input");
      input.type = "text";
      input.inputMode = "decimal";
      input.autocomplete = "off";
      input.name = option + "-" + l[0].toLowerCase();
      input.setAttribute("aria-label", l[1]);
      input.addEventListener("change", function () { commit(); });
      wrap.appendChild(input);
      row.appendChild(wrap);
      return input;
    });
    /* Applied once every field is filled (or all are cleared), as the CLI's one value. */
    function commit() {
      var values = inputs.map(function (i) { return i.value.trim(); });
      var filled = values.filter(Boolean).length;
      if (filled && filled < values.length) return;
      ctx.state.options[option] = filled ? values.join(",") : "";
      ctx.changed();
    }
    controls[option] = { inputs: inputs, row: row, fill: function (values) {
      values.forEach(function (v, i) { inputs[i].value = v; });
      commit();
    } };
    return row;
  }

  function roundTo(value, places) {
    return String(+value.toFixed(places));
  }

  function spaceFields(map, controls, ctx) {
    var doc = ctx.doc, st = ctx.state;
    var part = subsection("gm-space", "Area", false);
    controls.spacePart = part;
    var nearSet = el("fieldset");
    nearSet.appendChild(el("legend", null, "Near (km from a point)"));
    nearSet.appendChild(numberRow(controls, ctx, "near", [["Lat", "Near: latitude"],
      ["Lon", "Near: longitude"], ["Km", "Near: distance in kilometres"]]));
    var centre = ui.button("gm-small", "Near the map centre");
    centre.addEventListener("click", function () {
      var c = map.getCenter().wrap();
      var km = controls.near.inputs[2].value.trim() || "100";
      controls.near.fill([roundTo(c.lat, 4), roundTo(c.lng, 4), km]);
    });
    nearSet.appendChild(centre);
    part.appendChild(nearSet);

    var boxSet = el("fieldset");
    boxSet.appendChild(el("legend", null, "In the box (degrees)"));
    boxSet.appendChild(numberRow(controls, ctx, "bbox", [["W", "Box: west longitude"],
      ["S", "Box: south latitude"], ["E", "Box: east longitude"], ["N", "Box: north latitude"]]));
    var view = ui.button("gm-small", "Limit to the current view");
    view.addEventListener("click", function () {
      var b = map.getBounds();
      controls.bbox.fill(geomapCore.viewBox(b.getWest(), b.getSouth(), b.getEast(), b.getNorth())
        .split(","));
    });
    boxSet.appendChild(view);
    part.appendChild(boxSet);

    var within = el("label", "gm-within");
    within.appendChild(el("span", null, "Within"));
    var select = el("select");
    select.name = "within";
    select.setAttribute("aria-label", "Within a country");
    select.appendChild(el("option", null, "anywhere")).value = "";
    var counts = Object.create(null);
    ctx.events.forEach(function (ev) {
      ev.areas.forEach(function (a) { counts[a] = (counts[a] || 0) + 1; });
    });
    Object.keys(counts).map(Number).sort(function (a, b) {
      return doc.areas[a].name < doc.areas[b].name ? -1 : 1;
    }).forEach(function (a) {
      select.appendChild(el("option", null, doc.areas[a].name + " (" + counts[a] + ")"))
        .value = doc.areas[a].name;
    });
    select.addEventListener("change", function () {
      st.options.within = select.value ? [select.value] : [];
      ctx.changed();
    });
    controls.within = select;
    within.appendChild(select);
    part.appendChild(within);
    return part;
  }

  function updateSpaceFields(controls, ctx) {
    var st = ctx.state, doc = ctx.doc;
    ["near", "bbox"].forEach(function (option) {
      var inputs = controls[option].inputs;
      var typing = inputs.indexOf(document.activeElement) >= 0;
      var parts = st.options[option] ? st.options[option].split(",") : [];
      if (!typing || !st.options[option]) {
        inputs.forEach(function (input, i) { input.value = (parts[i] || "").trim(); });
      }
      var bad = st.crit.ignored.some(function (x) { return x[0] === option; });
      inputs.forEach(function (input) {
        if (bad) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
      });
    });
    var chosen = st.crit.within.length ? doc.areas[st.crit.within[0]].name : "";
    if (chosen && !Array.prototype.some.call(controls.within.options, function (o) {
      return o.value === chosen;
    })) {
      controls.within.appendChild(el("option", null, chosen + " (0)")).value = chosen;
    }
    controls.within.value = chosen;
    if (st.options.near || st.options.bbox || st.crit.within.length) controls.spacePart.open = true;
  }

  /* ---- The dataset's own columns (--where COLUMN=VALUE; values of one column are OR) ---- */

  function columnFields(controls, ctx) {
    var doc = ctx.doc, st = ctx.state;
    var part = subsection("gm-columns", "Columns", false);
    controls.columnsPart = part;
    controls.columns = doc.attribute_names.map(function (column, c) {
      var wrap = el("label", "gm-column-filter");
      wrap.appendChild(el("span", null, column));
      var input = el("input");
      input.type = "text";
      input.autocomplete = "off";
      input.placeholder = "a value; another";
      input.setAttribute("aria-label", "Column " + column + " is");
      var values = el("datalist");
      values.id = "gm-values-" + c;
      var seen = Object.create(null);
      ctx.events.forEach(function (ev) {
        var v = ev.attributes[c][1];
        if (v && !seen[v]) { seen[v] = true; values.appendChild(el("option", null, v)); }
      });
      input.setAttribute("list", values.id);
      input.addEventListener("change", function () {
        var others = st.options.where.filter(function (w) {
          var pair = geomapCore.parseWhere(w);
          return !pair || pair[0] !== column;
        });
        var mine = input.value.split(";").map(function (x) { return x.trim(); }).filter(Boolean)
          .map(function (v) { return column + "=" + v; });
        st.options.where = others.concat(mine);
        ctx.changed();
      });
      wrap.appendChild(input);
      wrap.appendChild(values);
      part.appendChild(wrap);
      return input;
    });
    return part;
  }

  function updateColumnFields(controls, ctx) {
    var pairs = ctx.state.options.where.map(geomapCore.parseWhere).filter(Boolean);
    controls.columns.forEach(function (input, c) {
      var column = ctx.doc.attribute_names[c];
      var values = pairs.filter(function (p) { return p[0] === column; })
        .map(function (p) { return p[1]; });
      if (document.activeElement !== input) input.value = values.join("; ");
    });
    if (pairs.length) controls.columnsPart.open = true;
  }

  function legendRow(list, graphic, text, title) {
    var li = el("li");
    li.appendChild(graphic);
    li.appendChild(el("span", null, text));
    if (title) li.appendChild(el("span", "gm-def", title));
    list.appendChild(li);
  }

  function areaSwatch() {
    var box = el("i", "gm-area-swatch");
    box.setAttribute("aria-hidden", "true");
    return box;
  }

  /** The legend: one toggle per kind (glyph, colour, counts), and what every mark means. */
  function legend(map, ctx, open, column) {
    var doc = ctx.doc, st = ctx.state;
    var kindBoxes = Object.create(null), kindCounts = Object.create(null);
    var control = {};
    control.onAdd = function () {
      var outer = collapsible("gm-legend", "Legend", open);
      outer.setAttribute("aria-label", "Legend");
      var box = el("div");
      outer.appendChild(box);
      box.appendChild(el("h2", null, "Kinds"));
      var kinds = el("ul");
      doc.kinds.forEach(function (k) {
        var li = el("li", "gm-kind");
        var label = el("label");
        var input = el("input");
        input.type = "checkbox"; input.value = k.id;
        input.setAttribute("aria-label", "Show " + k.label);
        input.addEventListener("change", function () {
          var on = doc.kinds.map(function (x) { return x.id; }).filter(function (id) {
            return id === k.id ? input.checked : kindBoxes[id].checked;
          });
          st.options.kind = on.length === doc.kinds.length ? null : on;
          ctx.changed();
        });
        label.appendChild(input);
        label.appendChild(ui.glyph(k, null, 16));
        label.appendChild(el("span", null, k.label));
        li.appendChild(label);
        kindBoxes[k.id] = input;
        kindCounts[k.id] = el("span", "gm-count", k.count);
        li.appendChild(kindCounts[k.id]);
        kinds.appendChild(li);
      });
      box.appendChild(kinds);

      box.appendChild(el("h2", null, "Confidence"));
      var conf = el("ul", "gm-confs");
      var grey = { id: "", mark: "circle", color: "#444" };
      doc.levels.slice().reverse().forEach(function (level) {
        var li = el("li");
        li.appendChild(ui.glyph(grey, doc.styles[level], 16));
        li.appendChild(ui.line("#444", doc.styles[level].dash));
        var text = el("span");
        text.appendChild(el("strong", null, level));
        text.appendChild(document.createTextNode(": " + (doc.confidence[level] || "")));
        li.appendChild(text);
        conf.appendChild(li);
      });
      box.appendChild(conf);

      box.appendChild(el("h2", null, "Marks"));
      var marks = el("ul", "gm-marks");
      legendRow(marks, ui.line("#444", null), "Route (shipment, flight); arrows show direction");
      legendRow(marks, ui.line("#555", null, 8), "Wider route: more events on it (width grows " +
        "with their square root); grey when they are of several kinds");
      legendRow(marks, el("i", "gm-cluster-note", "12"), "Events close together: click or " +
        "press Enter to zoom in until they separate");
      legendRow(marks, ui.line("#444", "4 5", 1.5), "Travel to a visit or other event");
      legendRow(marks, areaSwatch(), "Outlined area: the place is known only to its " +
        "country or state; its mark sits inside, and travel ends at its edge");
      legendRow(marks, ui.line("#444", "3 4", 1), "Ring: place known only to a sea or " +
        "region with no outline");
      legendRow(marks, el("i", "gm-ring-note", "↻"), "Marks at one place sit side by side");
      box.appendChild(marks);
      return outer;
    };
    var element = control.onAdd();
    column.appendChild(element);
    control.getContainer = function () { return element; };

    function update(perKind) {
      var crit = st.crit;
      doc.kinds.forEach(function (k) {
        kindCounts[k.id].textContent = (perKind[k.id] || 0) + " / " + k.count;
        kindBoxes[k.id].checked = !crit.kinds || crit.kinds.indexOf(k.id) >= 0;
      });
    }

    return { control: control, update: update };
  }

  /** The right-hand column (event list, legend): one control, so the two never overlap. */
  function column(map) {
    var control = L.control({ position: "topright" });
    var box = el("div", "gm-column");
    control.onAdd = function () { return box; };
    control.addTo(map);
    return box;
  }

  page.panel = { column: column, filters: filters, legend: legend, collapsible: collapsible, stopMapEvents: stopMapEvents };
})(window.geomapPage = window.geomapPage || {});
