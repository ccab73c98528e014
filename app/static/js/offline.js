/* Fangxin offline pages (/field/offline): rendered on the phone from the working set kept in
   IndexedDB, so they work with no signal at all.
   #/            due list, search, short code, drafts kept on this phone
   #/find/<x>    a scanned token or typed short code → its establishment
   #/e/<id>      an establishment: last result, open ledger entries, checklists to start
   #/run/<uuid>  a checklist draft (answers, photos, signature) saved in IndexedDB as you go
   #/outbox      待上传: unsent inspections and photos with their state and the server's words */
(function () {
  "use strict";
  var root = document.getElementById("offline-app");
  if (!root || !window.FangxinDB) { return; }
  var DB = window.FangxinDB;
  var T = JSON.parse(document.getElementById("offline-texts").textContent);
  var english = document.documentElement.lang === "en";
  var set = null, ests = {}, saveTimer = null;

  function fill(text) {
    var values = Array.prototype.slice.call(arguments, 1);
    return String(text).replace(/\{(\d)\}/g, function (_, i) { return values[i]; });
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; } else if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== false) {
        node.setAttribute(k, attrs[k] === true ? "" : attrs[k]);
      }
    });
    (children || []).forEach(function (c) { if (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); } });
    return node;
  }

  function uuid4() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function normalCode(text) {
    var t = text.normalize ? text.normalize("NFKC") : text;
    return t.toUpperCase().replace(/[\s\-_.·‐‑‒–—―−]+/g, "");
  }

  function itemText(programme, item) { return (english && programme.en && programme.en[item.id]) || item.text; }
  function sectionTitle(programme, s) { return (english && programme.en && programme.en["s:" + s.id]) || s.title; }
  function programmeTitle(p) { return (english && p.title_en) || p.title; }

  function loadSet() {
    return DB.meta("working-set").then(function (kept) {
      set = kept ? kept.data : null;
      var me = document.querySelector('meta[name="fangxin-user"]');
      if (set && me && String(set.user.id) !== me.content) { set = null; } // another inspector's
      ests = {};
      if (set) { set.establishments.forEach(function (e) { ests[e.id] = e; }); }
      return kept;
    });
  }

  function heading(text) { return el("h1", { text: text }); }

  function tabs() {
    return el("p", { class: "actions offline-tabs" }, [
      el("a", { href: "#/", text: T.home }), el("a", { href: "#/outbox", text: T.outbox, id: "outbox-link" }),
      el("a", { href: "/field/scan", text: T.scan })
    ]);
  }

  function estRow(e, due) {
    var badge = null;
    if (due) {
      var d = due.overdue;
      badge = el("span", { class: "badge " + (d > 0 ? "badge-bad" : d === 0 ? "badge-warn" : "badge-ok"),
        text: d > 0 ? fill(T.overdue, d) : d === 0 ? T.today : fill(T.dueIn, -d) });
    }
    return el("li", { class: "row" }, [el("a", { class: "row-main", href: "#/e/" + e.id, "data-est": e.id }, [
      el("span", { class: "due-head" }, [el("strong", { text: e.name }), " ", badge]),
      el("span", { class: "muted", text: e.area + " · " + e.address }),
      e.visit ? el("span", { class: "muted drawn", text: fill(T.drawn, e.visit.partner, e.visit.due_on) }) : null
    ])]);
  }

  function home() {
    if (!set) { return [heading(T.home), tabs(), el("p", { class: "flash flash-warning", text: T.noSet })]; }
    var form = el("form", { class: "search", id: "offline-find", role: "search" }, [
      el("input", { type: "search", id: "offline-q", placeholder: T.search, autocomplete: "off" }),
      el("button", { class: "button primary", type: "submit", text: T.find })
    ]);
    var results = el("ul", { class: "rows", id: "offline-results" });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var q = document.getElementById("offline-q").value.trim();
      var found = find(q);
      if (found.length === 1) { location.hash = "#/e/" + found[0].id; return; }
      results.replaceChildren.apply(results, found.slice(0, 50).map(function (e) { return estRow(e); }));
    });
    var due = el("ul", { class: "rows due-list" }, set.due.filter(function (d) { return ests[d.id]; })
      .map(function (d) { return estRow(ests[d.id], d); }));
    return [heading(T.home), tabs(), form, results, el("h2", { text: T.due }), due, draftsHere(null)];
  }

  function find(q) {
    var code = normalCode(q), low = q.toLowerCase();
    if (!q) { return []; }
    var exact = set.establishments.filter(function (e) { return e.short_code === code || e.token === q; });
    if (exact.length) { return exact; }
    return set.establishments.filter(function (e) {
      return e.name.toLowerCase().indexOf(low) >= 0 || e.address.toLowerCase().indexOf(low) >= 0;
    });
  }

  function findRoute(text) {
    var matches = set ? set.establishments.filter(function (e) {
      return e.token === text || e.short_code === normalCode(text);
    }) : [];
    if (matches.length) { location.replace("#/e/" + matches[0].id); return []; }
    return [heading(T.home), tabs(), el("p", { class: "flash flash-error", role: "alert", text: fill(T.notFound, text) })];
  }

  var localDrafts = [];
  function draftsHere(estId) {
    var mine = localDrafts.filter(function (d) { return d.state === "draft" && (estId === null || d.establishment_id === estId); });
    if (!mine.length) { return null; }
    return el("ul", { class: "rows local-drafts" }, mine.map(function (d) {
      var e = ests[d.establishment_id] || { name: "#" + d.establishment_id };
      return el("li", { class: "row" }, [el("a", { class: "button", href: "#/run/" + d.client_uuid,
        text: T.resume + " · " + e.name + " · " + programmeName(d.programme) })]);
    }));
  }

  function programmeOf(draft) { return draft.snapshot || (set && set.programmes[draft.programme]); }

  function programmeName(code) { var p = set && set.programmes[code]; return p ? programmeTitle(p) : code; }

  function establishment(id) {
    var e = ests[id];
    if (!e) { return findRoute(String(id)); }
    var last = e.last ? fill(T.last, e.last.on, e.last.grade || e.last.outcome || "") : T.never;
    var parts = [heading(e.name), tabs(),
      el("p", { class: "muted", text: e.area + " · " + e.address + " · " + T.shortCode + " " + (e.short_code || "") }),
      el("p", { text: last })];
    if (e.entries) {
      parts.push(el("h2", { text: T.entries }));
      parts.push(el("ul", { class: "rows" }, e.entries.map(function (x) {
        return el("li", { class: "row", text: x.item + (x.due ? " · " + x.due : "") });
      })));
    }
    parts.push(draftsHere(e.id));
    Object.keys(set.programmes).forEach(function (code) {
      var p = set.programmes[code];
      if (p.categories.indexOf(e.category) < 0) { return; }
      var button = el("button", { class: "button primary block", type: "button", "data-start": code,
        text: T.start + " · " + programmeTitle(p) });
      button.addEventListener("click", function () { startDraft(e, p); });
      parts.push(el("p", {}, [button]));
    });
    parts.push(attemptForm(e));
    return parts;
  }

  function startDraft(e, p) {
    var draft = {
      client_uuid: uuid4(), establishment_id: e.id, programme: p.code, checklist_version: p.version,
      user_id: set.user.id,
      started_at: new Date().toISOString(), answers: {}, fields: {},
      second_inspector: e.visit ? e.visit.partner : "",  // a drawn visit names the partner
      operator_rep: "", signature: "", verify_actions: [], presence: { start: null, submit: null },
      inspection_type: e.visit ? e.visit.type : e.entries && e.entries.length ? "followup" : "routine",
      sign_refused: false, sign_refusal_reason: "", sign_witness: "",
      state: "draft", message: "", server: null,
      snapshot: p  // the checklist as it was at the start: a new version does not change it
    };
    var presence = window.FangxinPresence && window.FangxinPresence.fill;
    Promise.resolve(presence ? presence(draft, "start") : null).catch(function () { return null; })
      .then(function () { return DB.putDraft(draft); })
      .then(function () { location.hash = "#/run/" + draft.client_uuid; });
  }

  function typeSelect(id, type) {
    return el("div", { class: "field" }, [el("label", { for: id, text: T.type }),
      el("select", { id: id, name: "inspection_type" }, (T.types || []).map(function (o) {
        return el("option", { value: o[0], text: o[1], selected: type === o[0] });
      }))]);
  }

  // 未能检查 with no signal: kept on the phone and sent by the outbox like an inspection.
  function attemptForm(e) {
    var message = el("p", { class: "flash flash-error", role: "alert", hidden: true });
    var form = el("form", { id: "offline-attempt-form" }, [message,
      el("fieldset", { class: "field" }, [el("legend", { text: T.reason })].concat((T.reasons || []).map(function (o) {
        return el("label", { class: "check" }, [el("input", { type: "radio", name: "reason", value: o[0] }), " " + o[1]]);
      }))),
      typeSelect("attempt-type", e.visit ? e.visit.type : e.entries ? "followup" : "routine"),
      el("div", { class: "field" }, [el("label", { for: "attempt-note", text: T.attemptNote }),
        el("textarea", { id: "attempt-note", name: "note", rows: "2", maxlength: "1000" })]),
      el("p", { class: "muted", text: T.attemptNoPhoto }),
      el("button", { class: "button", type: "submit", text: T.attemptSave })]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(form);
      if (!data.get("reason")) { message.textContent = T.attemptNeedReason; message.hidden = false; return; }
      message.hidden = true;
      var now = new Date().toISOString();
      DB.putDraft({ client_uuid: uuid4(), kind: "attempt", establishment_id: e.id, user_id: set.user.id,
        reason: data.get("reason"), note: String(data.get("note") || "").trim(),
        inspection_type: data.get("inspection_type") || "routine", attempted_at: now, started_at: now,
        state: "queued", message: T.queued }).then(function () {
        if (window.FangxinApp) { window.FangxinApp.askSync(); window.FangxinApp.send(); }
        location.hash = "#/outbox";
      });
    });
    return el("details", { class: "card", id: "offline-attempt" }, [
      el("summary", {}, [el("strong", { text: T.attempt })]), el("p", { class: "hint", text: T.attemptHint }), form]);
  }

  function reasonName(code) {
    var found = (T.reasons || []).filter(function (o) { return o[0] === code; })[0];
    return found ? found[1] : code;
  }

  function seg(name, options, value) {
    var box = el("div", { class: "seg" + (options.length === 2 ? " seg-2" : "") });
    options.forEach(function (o) {
      var id = name.replace(/\./g, "-") + "-" + o[0];
      box.appendChild(el("input", { type: "radio", id: id, name: name, value: o[0], checked: value === o[0] }));
      box.appendChild(el("label", { class: "seg-" + o[0], for: id, text: o[1] }));
    });
    return box;
  }

  function itemBlock(p, item, a, photos) {
    var handling = el("select", { name: "h." + item.id, id: "h-" + item.id }, [el("option", { value: "", text: T.choose })]
      .concat([["on_spot", T.onSpot], ["deadline", T.deadline], ["investigate", T.investigate], ["stop", T.stop]]
        .map(function (o) { return el("option", { value: o[0], text: o[1], selected: a.handling === o[0] }); })));
    var count = photos.filter(function (x) { return x.item_id === item.id; }).length;
    var legend = el("legend", {}, [itemText(p, item), item.key ? el("span", { class: "badge badge-bad", text: T.keyItem }) : null,
      item.photo_on_fail ? el("span", { class: "badge badge-closed", text: T.photoOnFail }) : null]);
    return el("fieldset", { class: "item" + (item.key ? " key-item" : "") + (a.result === "fail" ? " failed" : ""),
      id: "item-" + item.id, "data-item": item.id }, [legend,
      seg("r." + item.id, [["pass", T.pass], ["fail", T.fail], ["na", T.na]], a.result),
      el("div", { class: "handling" }, [
        el("div", { class: "field" }, [el("label", { for: "h-" + item.id, text: T.handling }), handling]),
        el("div", { class: "field due" }, [el("label", { for: "d-" + item.id, text: T.dueDate }),
          el("input", { type: "date", id: "d-" + item.id, name: "d." + item.id, value: a.due_date || "" })])
      ]),
      el("div", { class: "item-photos" }, [
        el("label", { class: "button photo-button", for: "ph-" + item.id, text: T.photo }),
        el("input", { class: "offline-photo", type: "file", id: "ph-" + item.id, accept: "image/*",
          capture: "environment", "data-photo-item": item.id, hidden: true }),
        el("span", { class: "muted photo-count", "data-count": item.id, text: count ? fill(T.photos, count) : "" })
      ]),
      el("div", { class: "field note" }, [el("label", { for: "n-" + item.id, text: T.note }),
        el("textarea", { id: "n-" + item.id, name: "n." + item.id, rows: "1", text: a.note || "" })])
    ]);
  }

  function fieldBlock(f, v) {
    var id = "f-" + f.id, label = (english && f.label_en) || f.label;
    if (f.type === "bool") {
      return el("fieldset", { class: "field seg-field" }, [el("legend", { text: label }),
        seg("f." + f.id, [["1", T.yes], ["0", T.no]], v === undefined ? undefined : String(v))]);
    }
    var input = f.type === "int"
      ? el("input", { type: "number", inputmode: "numeric", id: id, name: "f." + f.id, value: v === undefined ? "" : v })
      : el("select", { id: id, name: "f." + f.id }, [el("option", { value: "", text: T.choose })].concat(
        (f.choices || []).map(function (c) { return el("option", { value: c.value, text: c.label, selected: v === c.value }); })));
    return el("div", { class: "field" }, [el("label", { for: id, text: label }), input]);
  }

  function runView(draft, photos) {
    var p = programmeOf(draft);
    var e = ests[draft.establishment_id] || { name: "#" + draft.establishment_id, entries: [] };
    if (!p) { return [heading(e.name), tabs(), el("p", { class: "flash flash-error", text: T.noSet })]; }
    var form = el("form", { id: "offline-checklist", class: "checklist", novalidate: true });
    if (p.fields && p.fields.length) {
      form.appendChild(el("section", { class: "card checklist-section" }, [el("h2", { text: T.basics })]
        .concat(p.fields.map(function (f) { return fieldBlock(f, draft.fields[f.id]); }))));
    }
    p.sections.forEach(function (s) {
      form.appendChild(el("section", { class: "card checklist-section", "data-section": s.id },
        [el("h2", { text: sectionTitle(p, s) })].concat(s.items.map(function (item) {
          return itemBlock(p, item, draft.answers[item.id] || {}, photos);
        }))));
    });
    if (e.entries && e.entries.length) {
      form.appendChild(el("section", { class: "card checklist-section" }, [el("h2", { text: T.entries })]
        .concat(e.entries.map(function (x) {
          var id = "v-" + x.id;
          return el("div", { class: "field check" }, [el("input", { type: "checkbox", id: id, name: "verify", value: String(x.id),
            checked: draft.verify_actions.indexOf(x.id) >= 0 }), el("label", { for: id, text: T.verify + "：" + x.item })]);
        }))));
    }
    form.appendChild(el("section", { class: "card checklist-section" }, [el("h2", { text: T.people }),
      typeSelect("inspection_type", draft.inspection_type || "routine"),
      el("div", { class: "field" }, [el("label", { for: "second_inspector", text: T.second }),
        el("input", { type: "text", id: "second_inspector", name: "second_inspector", maxlength: "100", value: draft.second_inspector })]),
      el("div", { class: "field" }, [el("label", { for: "operator_rep", text: T.rep }),
        el("input", { type: "text", id: "operator_rep", name: "operator_rep", maxlength: "100", value: draft.operator_rep })]),
      el("div", { class: "field signature", "data-signature": true }, [el("span", { class: "label", text: T.sign }),
        draft.signature ? el("img", { class: "sig-saved", src: draft.signature, alt: T.sign }) : null,
        el("div", { class: "sig-pad", hidden: true }, [el("canvas", { id: "signature-pad", width: "600", height: "220" }),
          el("div", { class: "sig-tools" }, [el("span", { class: "hint", text: T.signHint }), " ",
            el("button", { type: "button", class: "button", id: "signature-clear", text: T.clear })])]),
        el("input", { type: "hidden", name: "signature", id: "signature", value: "" })]),
      el("fieldset", { class: "field sign-refusal" }, [
        el("label", { class: "check" }, [el("input", { type: "checkbox", id: "sign_refused", name: "sign_refused", value: "1",
          checked: !!draft.sign_refused }), " " + T.refused]),
        el("div", { class: "refusal-details" }, [
          el("label", { for: "sign_refusal_reason", text: T.refusalReason }),
          el("textarea", { id: "sign_refusal_reason", name: "sign_refusal_reason", rows: "2", maxlength: "500", text: draft.sign_refusal_reason || "" }),
          el("label", { for: "sign_witness", text: T.witness }),
          el("input", { type: "text", id: "sign_witness", name: "sign_witness", maxlength: "100", value: draft.sign_witness || "" })])])
    ]));
    var status = el("p", { class: "save-status", id: "save-status", "aria-live": "polite" });
    form.appendChild(el("div", { class: "submit-bar" }, [status,
      el("button", { class: "button primary", type: "submit", id: "offline-submit", text: T.submit })]));
    wire(form, draft, status);
    var version = el("p", { class: "muted", text: programmeTitle(p) });
    return [heading(e.name), tabs(), version, navigator.onLine ? null : el("p", { class: "muted", text: T.offlineNow }), form];
  }

  function collect(form, draft) {
    var data = new FormData(form);
    var p = programmeOf(draft);
    p.sections.forEach(function (s) {
      s.items.forEach(function (item) {
        var a = { result: data.get("r." + item.id) || null, note: data.get("n." + item.id) || "",
          handling: data.get("h." + item.id) || null, due_date: data.get("d." + item.id) || null };
        if (a.result || a.note) { draft.answers[item.id] = a; }
        var box = form.querySelector('[data-item="' + item.id + '"]');
        if (box) { box.classList.toggle("failed", a.result === "fail"); }
      });
    });
    (p.fields || []).forEach(function (f) {
      var v = data.get("f." + f.id);
      if (v !== null && v !== "") { draft.fields[f.id] = f.type === "int" ? Number(v) : v; }
    });
    draft.second_inspector = data.get("second_inspector") || "";
    draft.operator_rep = data.get("operator_rep") || "";
    draft.inspection_type = data.get("inspection_type") || "routine";
    draft.sign_refused = data.get("sign_refused") === "1";
    draft.sign_refusal_reason = data.get("sign_refusal_reason") || "";
    draft.sign_witness = data.get("sign_witness") || "";
    if (data.get("signature")) { draft.signature = data.get("signature"); }
    draft.verify_actions = data.getAll("verify").map(Number);
  }

  function stamp() { var d = new Date(); return d.toTimeString().slice(0, 8); }

  function wire(form, draft, status) {
    function save() {
      collect(form, draft);
      return DB.putDraft(draft).then(function () { status.textContent = fill(T.savedLocal, stamp()); });
    }
    form.addEventListener("change", function (event) {
      if (event.target.dataset.photoItem) { addPhoto(event.target, draft, status); return; }
      save();
    });
    form.addEventListener("input", function () { clearTimeout(saveTimer); saveTimer = setTimeout(save, 400); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      save().then(function () { return DB.photosOf(draft.client_uuid); }).then(function (photos) {
        var missing = problems(draft, photos);
        if (missing.length) { status.textContent = fill(T.missing, missing.join("；")); status.classList.add("offline"); return null; }
        return queue(draft);
      });
    });
  }

  function addPhoto(input, draft, status) {
    var file = input.files && input.files[0], item = input.dataset.photoItem;
    if (!file) { return; }
    var U = window.FangxinUploads;
    var ready = U && U.prepare ? U.prepare(file) : Promise.resolve({ blob: file, exif: null });
    ready.then(function (prepared) {
      return DB.putPhoto({ id: uuid4(), client_uuid: draft.client_uuid, item_id: item, blob: prepared.blob,
        exif: prepared.exif || null, taken_at: (prepared.exif && prepared.exif.taken_at) || null,
        state: "waiting", message: "", upload: null });
    }).then(function () { return DB.photosOf(draft.client_uuid); }).then(function (photos) {
      var n = photos.filter(function (x) { return x.item_id === item; }).length;
      var label = document.querySelector('[data-count="' + item + '"]');
      if (label) { label.textContent = fill(T.photos, n); }
      status.textContent = fill(T.savedLocal, stamp());
      input.value = "";
    });
  }

  function problems(draft, photos) {
    var p = programmeOf(draft), out = [], open = 0;
    p.sections.forEach(function (s) {
      s.items.forEach(function (item) {
        var a = draft.answers[item.id];
        if (!a || !a.result) { open += 1; return; }
        var has = photos.some(function (x) { return x.item_id === item.id; });
        if (a.result === "fail" && item.photo_on_fail && !has) { out.push(fill(T.needPhoto, itemText(p, item))); }
      });
    });
    if (open) { out.unshift(fill(T.unanswered, open)); }
    if (!draft.second_inspector.trim() || !draft.operator_rep.trim()) { out.push(T.needPeople); }
    if (draft.sign_refused && (!(draft.sign_refusal_reason || "").trim() || !(draft.sign_witness || "").trim())) { out.push(T.needWitness); }
    return out;
  }

  function queue(draft) {
    var presence = window.FangxinPresence && window.FangxinPresence.fill;
    return Promise.resolve(presence ? presence(draft, "submit") : null).catch(function () { return null; })
      .then(function () {
        draft.state = "queued"; draft.message = T.queued;
        return DB.putDraft(draft);
      }).then(function () {
        if (window.FangxinApp) { window.FangxinApp.askSync(); window.FangxinApp.send(); }
        location.hash = "#/outbox";
      });
  }

  function outboxRow(d, photos) {
    var e = ests[d.establishment_id] || { name: "#" + d.establishment_id };
    var tools = [];
    if (d.state === "refused" && d.kind === "attempt") {
      var dropAttempt = el("button", { type: "button", class: "button danger", text: T.remove });
      dropAttempt.addEventListener("click", function () { if (window.confirm(T.confirmRemove)) { DB.deleteDraft(d.client_uuid).then(render); } });
      tools = [dropAttempt];
    } else if (d.state === "refused") {
      var edit = el("button", { type: "button", class: "button", text: T.edit });
      edit.addEventListener("click", function () { d.state = "draft"; DB.putDraft(d).then(function () { location.hash = "#/run/" + d.client_uuid; }); });
      var drop = el("button", { type: "button", class: "button danger", text: T.remove });
      drop.addEventListener("click", function () { if (window.confirm(T.confirmRemove)) { DB.deleteDraft(d.client_uuid).then(render); } });
      tools = [edit, " ", drop];
    }
    if (d.state === "sent" && d.server) { tools = [el("a", { href: d.server.url, text: T.sheet })]; }
    return el("li", { class: "row outbox-item state-" + d.state, "data-uuid": d.client_uuid }, [
      el("strong", { text: e.name + " · " + (d.kind === "attempt" ? T.attempt + " · " + reasonName(d.reason) : programmeName(d.programme)) }), " ",
      el("span", { class: "badge " + (d.state === "sent" ? "badge-ok" : d.state === "refused" ? "badge-bad" : "badge-warn"),
        text: T.states[d.state] || d.state }),
      el("p", { class: "outbox-message", text: d.message || "" }),
      el("ul", { class: "outbox-photos" }, photos.map(function (x, i) {
        return el("li", { text: fill(T.photoState, i + 1, (T.states[x.state] || x.state) + (x.message ? " · " + x.message : "")) });
      })),
      el("p", { class: "actions" }, tools)
    ]);
  }

  function outbox() {
    var pending = localDrafts.filter(function (d) { return ["queued", "sending", "refused"].indexOf(d.state) >= 0; });
    var sent = localDrafts.filter(function (d) { return d.state === "sent"; })
      .sort(function (a, b) { return (b.sent_at || "").localeCompare(a.sent_at || ""); }).slice(0, 20);
    var list = el("ul", { class: "rows outbox", id: "outbox-list" });
    var recent = el("ul", { class: "rows outbox-sent", id: "outbox-sent" });
    var button = el("button", { class: "button primary", type: "button", id: "outbox-send", text: T.sendNow });
    button.addEventListener("click", function () { if (window.FangxinApp) { window.FangxinApp.send().then(render); } });
    var warning = window.FangxinStorageWarning;
    Promise.all(pending.concat(sent).map(function (d) { return DB.photosOf(d.client_uuid); })).then(function (all) {
      pending.forEach(function (d, i) { list.appendChild(outboxRow(d, all[i])); });
      sent.forEach(function (d, i) { recent.appendChild(outboxRow(d, all[pending.length + i])); });
    });
    return [heading(T.outbox), tabs(), warning ? el("p", { class: "flash flash-warning", role: "alert", text: warning }) : null,
      pending.length ? el("p", {}, [button]) : el("p", { class: "muted", id: "outbox-empty", text: T.outboxEmpty }), list,
      sent.length ? el("h2", { text: T.recent }) : null, recent];
  }

  function show(parts) {
    root.replaceChildren.apply(root, parts.filter(Boolean));
    if (document.getElementById("signature-pad")) {
      var s = document.createElement("script");
      s.src = root.getAttribute("data-signature-src") || "/static/js/signature.js";
      document.body.appendChild(s);
    }
  }

  function render() {
    var route = (location.hash || "#/").slice(1).split("/");
    return Promise.all([loadSet(), DB.drafts()]).then(function (r) {
      localDrafts = r[1];
      if (route[1] === "find") { return show(findRoute(decodeURIComponent(route[2] || ""))); }
      if (route[1] === "e") { return show(establishment(Number(route[2]))); }
      if (route[1] === "outbox") { return show(outbox()); }
      if (route[1] === "run") {
        return Promise.all([DB.draft(route[2]), DB.photosOf(route[2])]).then(function (d) {
          if (!d[0] || d[0].state !== "draft") { location.replace("#/outbox"); return null; }
          return show(runView(d[0], d[1]));
        });
      }
      return show(home());
    });
  }

  window.addEventListener("hashchange", render);
  if (window.FangxinOutbox) {
    window.FangxinOutbox.onChange(function () { if (/^#\/outbox/.test(location.hash)) { render(); } });
  }
  render();
})();
