/* geomap popup: one event's details, a pager through every event under the pointer, a link.
 *
 * The pager updates the popup in place: its buttons stay in the document, so a real click on
 * them is never taken for a click on the map (which would close the popup). An opened popup
 * takes focus; Escape closes it and gives focus back to what opened it.
 */
(function (page) {
  "use strict";

  var ui = page.ui;
  var el = ui.el;

  var STANCE = { "reports-claim": "reports the claim", disputes: "disputes it" };

  /** One source: outlet, linked title (http/https only) or "no public link found", date,
   * author, and the source's own quote for this event. */
  function sourceItem(source, quote) {
    var li = el("li");
    var href = ui.safeHref(source.url);
    if (href) {
      var a = el("a", null, source.title || href);
      a.href = href;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      if (source.outlet) li.appendChild(document.createTextNode(source.outlet + " — "));
      li.appendChild(a);
      if (source.published) li.appendChild(document.createTextNode(" — " + source.published));
    } else {
      li.textContent = [source.outlet, source.title, source.published].filter(Boolean).join(" — ");
    }
    if (source.author) li.appendChild(el("span", "gm-author", " (" + source.author + ")"));
    if (!href) li.appendChild(el("span", "gm-nolink", " · no public link found"));
    if (quote) {
      var q = el("blockquote", "gm-quote", "“" + quote[0] + "”");
      if (STANCE[quote[2]]) q.appendChild(el("span", "gm-stance", " — " + STANCE[quote[2]]));
      li.appendChild(q);
    }
    return li;
  }

  function journeyItem(stop) {
    var when = [stop[1] && "arrived " + stop[1], stop[2] && "left " + stop[2]].filter(Boolean);
    var text = stop[0] + (when.length ? " — " + when.join(", ") : "");
    if (stop[3]) text += " (leg " + stop[3] + ")";
    return el("li", null, text);
  }

  /** One event's details (also used by the printed list). */
  function details(ev, doc, kinds) {
    var box = el("div", "gm-event");
    box.appendChild(el("h3", null, ev.title));
    var meta = el("div", "gm-meta");
    var kind = kinds[ev.kind];
    meta.appendChild(document.createTextNode(ev.date_label + " · " + kind.label + " · "));
    meta.appendChild(el("span", "gm-conf gm-conf-" + ev.confidence, ev.confidence));
    box.appendChild(meta);
    var dl = el("dl");
    var where = doc.geoms[ev.geom].t === "L" ? "Route" : ev.stops.length > 1 ? "Travel" : "Place";
    var carrier = ev.carrierInfo ? ev.carrierInfo.description : ev.carrier;
    var straits = ev.passages.length ? ev.passages.join(", ") + " (modelled sea lane)" : "";
    [["Actors", ev.actors.join("; ")], [where, ev.stops.join(" → ")], ["Passes", straits],
     ["Carrier", carrier]].concat(ev.attributes).forEach(function (row) {
      if (!row[1]) return;
      dl.appendChild(el("dt", null, row[0]));
      dl.appendChild(el("dd", null, row[1]));
    });
    box.appendChild(dl);
    if (ev.summary) box.appendChild(el("p", null, ev.summary));
    box.appendChild(el("p", "gm-confnote",
      "Confidence: " + ev.confidence + " — " + (doc.confidence[ev.confidence] || "")));
    if (ev.journey.length) {
      box.appendChild(el("strong", null, "Journey"));
      var stops = el("ol", "gm-journey");
      ev.journey.forEach(function (stop) { stops.appendChild(journeyItem(stop)); });
      box.appendChild(stops);
    }
    var quoted = ev.quotes.some(Boolean);
    if (ev.evidence && !quoted) box.appendChild(el("blockquote", null, "“" + ev.evidence + "”"));
    var heading = ev.sources.length + (ev.sources.length === 1 ? " source" : " sources");
    if (ev.origins !== null) {
      heading += " · " + ev.origins + (ev.origins === 1 ? " independent origin"
        : " independent origins");
    }
    box.appendChild(el("strong", "gm-sources-heading", heading));
    var list = el("ol", "gm-sources");
    ev.sources.forEach(function (source, k) {
      list.appendChild(sourceItem(source, ev.quotes[k]));
    });
    box.appendChild(list);
    return box;
  }

  function create(map, doc, kinds, hooks) {
    var narrow = function () { return map.getSize().x < 600; };
    var popup = L.popup({ maxWidth: 340, minWidth: 200, autoPanPadding: [12, 12],
      autoPanPaddingTopLeft: [12, 60], className: "gm-leaflet-popup" });
    var current = null;  // {events, index, returnTo}

    var box = el("div", "gm-popup");
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-labelledby", "gm-event-title");
    var pager = el("div", "gm-pager");
    var prev = ui.button("gm-prev", "‹", "Previous event here");
    var next = ui.button("gm-next", "›", "Next event here");
    var label = el("span", "gm-page");
    label.setAttribute("aria-live", "polite");
    pager.appendChild(prev);
    pager.appendChild(label);
    pager.appendChild(next);
    var slot = el("div", "gm-slot");
    var actions = el("div", "gm-actions");
    var copy = ui.button("gm-copy", "Copy link", "Copy link to this event");
    var copied = el("span", "gm-copied");
    copied.setAttribute("role", "status");
    actions.appendChild(copy);
    actions.appendChild(copied);
    box.appendChild(pager);
    box.appendChild(slot);
    box.appendChild(actions);

    /* The popup's one element, built once; the pager changes what is inside it. */
    function popupContent() { return box; }

    function show(index) {
      var events = current.events;
      current.index = Math.max(0, Math.min(index, events.length - 1));
      var ev = events[current.index];
      pager.style.display = events.length > 1 ? "" : "none";
      label.textContent = (current.index + 1) + " of " + events.length + " events here";
      prev.disabled = current.index === 0;
      next.disabled = current.index === events.length - 1;
      slot.textContent = "";
      slot.appendChild(details(ev, doc, kinds));
      var heading = slot.querySelector("h3");
      heading.id = "gm-event-title";
      heading.tabIndex = -1;
      copied.textContent = "";
      hooks.onShow(ev);
    }

    function step(delta) {
      return function (e) {
        L.DomEvent.stop(e);
        if (!current) return;  // a click on a popup that is already fading out
        show(current.index + delta);
        var target = delta < 0 ? prev : next;
        (target.disabled ? slot.querySelector("h3") : target).focus();
      };
    }
    prev.addEventListener("click", step(-1));
    next.addEventListener("click", step(1));

    copy.addEventListener("click", function (e) {
      L.DomEvent.stop(e);
      if (!current) return;
      var url = hooks.linkTo(current.events[current.index]);
      function done(ok) {
        copied.textContent = ok ? "Link copied" : url;
      }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(url).then(function () { done(true); },
          function () { done(false); });
      } else {
        done(false);
      }
    });

    box.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { L.DomEvent.stop(e); close(); }
    });

    /** Open the popup on `events` (the first shown is `index`) at `latlng`; focus goes to it,
     * and back to `returnTo` when it closes. */
    function open(events, latlng, index, returnTo) {
      current = { events: events, index: 0, returnTo: returnTo || null };
      popup.options.maxWidth = Math.min(340, map.getSize().x - 60);
      popup.options.maxHeight = narrow() ? Math.round(map.getSize().y * 0.55)
        : Math.max(200, map.getSize().y - 200);
      var pad = hooks.padding();
      popup.options.autoPanPaddingTopLeft = pad[0];
      popup.options.autoPanPaddingBottomRight = pad[1];
      show(index || 0);
      popup.setLatLng(latlng).setContent(popupContent());
      if (!map.hasLayer(popup)) popup.openOn(map); else popup.update();
      var heading = slot.querySelector("h3");
      if (heading) heading.focus({ preventScroll: true });
    }

    function close() {
      if (map.hasLayer(popup)) map.closePopup(popup);
    }

    map.on("popupclose", function (e) {
      if (e.popup !== popup || !current) return;
      var back = current.returnTo;
      var hadFocus = box.contains(document.activeElement) || document.activeElement === document.body;
      current = null;
      hooks.onClose();
      if (back && hadFocus && document.contains(back)) back.focus({ preventScroll: true });
    });

    return {
      open: open, close: close, popup: popup,
      isOpen: function () { return map.hasLayer(popup); },
      current: function () { return current && current.events[current.index]; }
    };
  }

  page.popup = { create: create, details: details };
})(window.geomapPage = window.geomapPage || {});
