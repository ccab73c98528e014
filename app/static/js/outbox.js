/* Fangxin outbox (待上传): sends the inspections finished offline, photos first.

   Order per inspection: each photo as a resumable upload (FangxinUploads.send, the uploads
   helper's contract) → POST /api/v1/inspections with the upload ids → the server attaches
   them in the submit's transaction. The client-made client_uuid makes any replay harmless.
   Runs in the pages (retried on "online", at start and on a backoff timer) and in the
   service worker's Background Sync event (inspections whose photos are all sent already).

   FangxinOutbox.sendAll() -> Promise (one run at a time)
   FangxinOutbox.onChange(fn)  fn() after each state change
   FangxinOutbox.texts         messages (the page sets them in the reader's language) */
(function (scope) {
  "use strict";
  var DB = scope.FangxinDB;
  var texts = {
    waiting: "等待网络，恢复后自动上传",
    sending: "正在上传…",
    sent: "已上传",
    signedOut: "登录已过期：请重新登录，待上传的检查会自动上传（本机数据已保留）",
    refused: "服务器未接受：",
    photoWaiting: "照片等待上传",
    photoFailed: "照片无法上传：",
    otherUser: "这条检查属于另一位检查员：请该检查员登录后上传（本机数据已保留）",
    storageFull: "存储空间已满，请联系管理员（本机数据已保留）"
  };
  var running = null, listeners = [];

  function changed() { listeners.forEach(function (fn) { try { fn(); } catch (e) { /* a view */ } }); }

  function transient(message) { var e = new Error(message || texts.waiting); e.transient = true; return e; }

  // The server's photo store is full (507): nothing is dropped, and no timer retries it,
  // since only the admin making room helps; the next run (a tap, "online", a new page) does.
  function storageFull() { var e = new Error(texts.storageFull); e.full = true; return e; }

  function session() {
    return fetch("/api/v1/field/session", { credentials: "same-origin", redirect: "manual",
      headers: { "Accept": "application/json" } }).then(function (r) {
      if (r.type === "opaqueredirect" || r.status === 401 || r.status === 403) {
        var e = new Error(texts.signedOut); e.signedOut = true; throw e;
      }
      if (!r.ok) { throw transient(); }
      return r.json().then(function (data) {
        var meta = scope.document && scope.document.querySelector('meta[name="csrf-token"]');
        if (meta) { meta.content = data.csrf_token; } // a page kept by the worker has an old one
        return data;
      });
    }, function () { throw transient(); });
  }

  // The one place a photo is sent: switching the upload path means changing this function.
  function sendPhoto(photo) {
    if (!scope.FangxinUploads) { return Promise.reject(transient(texts.photoWaiting)); }
    var meta = { upload: photo.id, filename: "photo.jpg" };
    if (photo.exif) { meta.exif = photo.exif; }
    return scope.FangxinUploads.send(photo.blob, meta).then(function (result) {
      return result.upload;
    }, function (err) {
      if (err && err.status === 507) { throw storageFull(); }
      if (err && err.permanent) { var e = new Error(err.message); e.permanent = true; throw e; }
      throw transient(err && err.message);
    });
  }

  function sendPhotos(photos) {
    return photos.reduce(function (chain, photo) {
      return chain.then(function () {
        if (photo.state === "sent" || photo.state === "failed") { return null; }
        photo.state = "sending"; photo.message = "";
        return DB.putPhoto(photo).then(changed).then(function () { return sendPhoto(photo); })
          .then(function (token) {
            photo.state = "sent"; photo.upload = token; photo.blob_size = photo.blob.size;
            return DB.putPhoto(photo);
          }, function (err) {
            photo.state = err.permanent ? "failed" : "waiting";
            photo.message = err.permanent ? texts.photoFailed + err.message : err.message;
            return DB.putPhoto(photo).then(function () { if (!err.permanent) { throw err; } });
          }).then(changed);
      });
    }, Promise.resolve());
  }

  function body(draft, photos) {
    var refs = photos.filter(function (p) { return p.state === "sent"; }).map(function (p) {
      return { item_id: p.item_id, upload: p.upload };
    });
    return {
      client_uuid: draft.client_uuid, establishment_id: draft.establishment_id,
      programme: draft.programme, checklist_version: draft.checklist_version,
      started_at: draft.started_at, answers: draft.answers, fields: draft.fields || {},
      second_inspector: draft.second_inspector || "", operator_rep: draft.operator_rep || "",
      signature: draft.signature || "", verify_actions: draft.verify_actions || [],
      presence: draft.presence || {}, photos: refs,
      // A draft saved before these existed has none: the server keeps 日常 and "signed".
      inspection_type: draft.inspection_type || "routine", sign_refused: !!draft.sign_refused,
      sign_refusal_reason: draft.sign_refusal_reason || "", sign_witness: draft.sign_witness || ""
    };
  }

  // A visit that could not inspect (未能检查, kind "attempt") has no checklist and no photos.
  function attemptBody(record) {
    return {
      client_uuid: record.client_uuid, establishment_id: record.establishment_id,
      reason: record.reason, note: record.note || "", inspection_type: record.inspection_type,
      attempted_at: record.attempted_at
    };
  }

  function submit(draft, photos, csrf) {
    var attempt = draft.kind === "attempt";
    return fetch(attempt ? "/api/v1/attempts" : "/api/v1/inspections", {
      method: "POST", credentials: "same-origin", redirect: "manual",
      headers: { "Content-Type": "application/json", "Accept": "application/json",
        "X-CSRFToken": csrf },
      body: JSON.stringify(attempt ? attemptBody(draft) : body(draft, photos))
    }).then(function (r) {
      if (r.status === 507) { throw storageFull(); }
      if (r.status >= 500 || r.type === "opaqueredirect") { throw transient(); }
      return r.json().then(function (data) { return { status: r.status, data: data }; });
    }, function () { throw transient(); });
  }

  function finish(draft, answer) {
    var data = answer.data || {};
    if (answer.status === 200 || answer.status === 201) {
      draft.state = "sent";
      draft.server = { id: data.id, url: data.url };
      draft.message = (data.notices || []).join(" ") || texts.sent;
      draft.sent_at = new Date().toISOString();
    } else {
      draft.state = "refused";
      draft.message = texts.refused + (data.errors || [data.error || answer.status]).join("；");
    }
    return DB.putDraft(draft).then(function () {
      return draft.state === "sent" ? dropPhotoBlobs(draft) : null;
    });
  }

  function dropPhotoBlobs(draft) {
    return DB.photosOf(draft.client_uuid).then(function (photos) {
      return Promise.all(photos.map(function (p) { p.blob = null; return DB.putPhoto(p); }));
    });
  }

  function sendOne(draft, csrf, photosAllowed) {
    draft.state = "sending"; draft.message = texts.sending;
    return DB.putDraft(draft).then(changed).then(function () {
      return DB.photosOf(draft.client_uuid);
    }).then(function (photos) {
      var unsent = photos.some(function (p) { return p.state !== "sent" && p.state !== "failed"; });
      if (unsent && !photosAllowed) { throw transient(texts.photoWaiting); }
      return sendPhotos(photos).then(function () { return DB.photosOf(draft.client_uuid); });
    }).then(function (photos) {
      return submit(draft, photos, csrf);
    }).then(function (answer) { return finish(draft, answer); }, function (err) {
      draft.state = "queued"; draft.message = err.message || texts.waiting;
      return DB.putDraft(draft).then(function () { throw err; });
    }).then(changed);
  }

  // Signed in as someone else on this phone: their work waits for them, untouched.
  function keepForOwner(draft) {
    draft.state = "queued"; draft.message = texts.otherUser;
    return DB.putDraft(draft).then(changed);
  }

  function run() {
    return DB.drafts().then(function (all) {
      var due = all.filter(function (d) { return d.state === "queued" || d.state === "sending"; });
      if (!due.length) { return 0; }
      return session().then(function (s) {
        var photosAllowed = !!scope.FangxinUploads;
        return due.reduce(function (chain, draft) {
          return chain.then(function () {
            if (draft.user_id && draft.user_id !== s.user_id) { return keepForOwner(draft); }
            return sendOne(draft, s.csrf_token, photosAllowed);
          });
        }, Promise.resolve()).then(function () { return due.length; });
      }, function (err) {
        return Promise.all(due.map(function (d) {
          d.state = "queued"; d.message = err.message; return DB.putDraft(d);
        })).then(function () { changed(); throw err; });
      });
    });
  }

  scope.FangxinOutbox = {
    texts: texts,
    sendAll: function () {
      if (!running) {
        running = run().then(function (n) { running = null; return n; },
          function (err) { running = null; throw err; });
      }
      return running;
    },
    onChange: function (fn) { listeners.push(fn); },
    body: body
  };
})(self);
