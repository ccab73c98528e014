/* Fangxin offline storage in IndexedDB (vendored idb): drafts, their photos, the working set.
   Loaded by the pages and by the service worker (self.idb from vendor/idb/idb.js).
   Record shapes: /work/notes/offline_contract.md (also in the README's offline section).

   FangxinDB.draft(uuid) / drafts() / putDraft(record) / deleteDraft(uuid)
   FangxinDB.photosOf(uuid) / putPhoto(record) / deletePhoto(id)
   FangxinDB.meta(key) / putMeta(key, value)         working set, autosaves, sent log
   FangxinDB.pending()   drafts waiting in the outbox (queued, sending or refused) */
(function (scope) {
  "use strict";
  var NAME = "fangxin", VERSION = 1, opened = null;

  function open() {
    if (!opened) {
      opened = scope.idb.openDB(NAME, VERSION, {
        upgrade: function (db) {
          var drafts = db.createObjectStore("drafts", { keyPath: "client_uuid" });
          drafts.createIndex("state", "state");
          var photos = db.createObjectStore("photos", { keyPath: "id" });
          photos.createIndex("by_inspection", "client_uuid");
          db.createObjectStore("meta", { keyPath: "key" });
        }
      });
    }
    return opened;
  }

  function withDb(fn) { return open().then(fn); }

  var api = {
    draft: function (uuid) { return withDb(function (db) { return db.get("drafts", uuid); }); },
    drafts: function () { return withDb(function (db) { return db.getAll("drafts"); }); },
    putDraft: function (record) {
      record.updated_at = Date.now();
      return withDb(function (db) { return db.put("drafts", record); });
    },
    deleteDraft: function (uuid) {
      return withDb(function (db) {
        var tx = db.transaction(["drafts", "photos"], "readwrite");
        tx.objectStore("drafts").delete(uuid);
        var photos = tx.objectStore("photos");
        photos.index("by_inspection").getAllKeys(uuid).then(function (keys) {
          keys.forEach(function (k) { photos.delete(k); });
        });
        return tx.done;
      });
    },
    photosOf: function (uuid) {
      return withDb(function (db) { return db.getAllFromIndex("photos", "by_inspection", uuid); });
    },
    putPhoto: function (record) { return withDb(function (db) { return db.put("photos", record); }); },
    deletePhoto: function (id) { return withDb(function (db) { return db.delete("photos", id); }); },
    meta: function (key) {
      return withDb(function (db) { return db.get("meta", key); }).then(function (row) {
        return row ? row.value : undefined;
      });
    },
    putMeta: function (key, value) {
      return withDb(function (db) { return db.put("meta", { key: key, value: value }); });
    },
    deleteMeta: function (key) { return withDb(function (db) { return db.delete("meta", key); }); },
    pending: function () {
      return api.drafts().then(function (all) {
        return all.filter(function (d) { return d.state && d.state !== "draft" && d.state !== "sent"; });
      });
    }
  };

  scope.FangxinDB = api;
})(self);
