// Shared by both sides of `cargo xtask bench sync_vs_pouchdb`: loaded by the
// PouchDB page and injected into the Stegvis app's page by the driver.
// - `benchNet`: requests and body bytes on the wire (fetch wrapper for
//   requests and bytes sent, Resource Timing for bytes received);
// - `benchDigest`: the content hash both sides are checked with: SHA-256 of
//   the lines `id \t canonical JSON of data \n`, sorted by id, where
//   canonical JSON sorts object keys (as serde_json's map does);
// - the IndexedDB floors.
'use strict';

(function () {
  if (window.benchNet) return;
  performance.setResourceTimingBufferSize(100000);
  // Every fetch since the last reset: its URL and the bytes of its body.
  let sent = [];
  const original = window.fetch.bind(window);
  window.fetch = function (input, init) {
    const url = typeof input === 'string' ? input : input.url || String(input);
    const entry = { url, bytes: 0 };
    sent.push(entry);
    const body = init && init.body;
    if (typeof body === 'string') {
      entry.bytes = new TextEncoder().encode(body).length;
    } else if (body && body.byteLength !== undefined) {
      entry.bytes = body.byteLength;
    } else if (input instanceof Request && input.method !== 'GET' && input.method !== 'HEAD') {
      input.clone().arrayBuffer().then((b) => { entry.bytes = b.byteLength; });
    }
    return original(input, init);
  };
  window.benchNet = {
    reset() {
      sent = [];
      performance.clearResourceTimings();
    },
    // Requests to URLs containing `urlPart` since `reset`, the body bytes
    // they sent, and the body bytes they received as transferred (compressed).
    read(urlPart) {
      const mine = sent.filter((e) => e.url.includes(urlPart));
      const down = performance
        .getEntriesByType('resource')
        .filter((e) => e.name.includes(urlPart))
        .reduce((sum, e) => sum + e.encodedBodySize, 0);
      return { requests: mine.length, up: mine.reduce((sum, e) => sum + e.bytes, 0), down };
    },
  };

  function canonical(value) {
    if (Array.isArray(value)) return '[' + value.map(canonical).join(',') + ']';
    if (value !== null && typeof value === 'object') {
      const keys = Object.keys(value).sort();
      return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonical(value[k])).join(',') + '}';
    }
    return JSON.stringify(value);
  }

  // `items`: [{id, data}]. Resolves to {count, digest}.
  window.benchDigest = async function (items) {
    const lines = items.map((r) => r.id + '\t' + canonical(r.data) + '\n').sort();
    const bytes = new TextEncoder().encode(lines.join(''));
    const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    return { count: items.length, digest: Array.from(hash, (b) => b.toString(16).padStart(2, '0')).join('') };
  };

  function request(req) {
    return new Promise((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }

  function done(tx) {
    return new Promise((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  }

  async function freshDb(name) {
    await request(indexedDB.deleteDatabase(name));
    const open = indexedDB.open(name, 1);
    open.onupgradeneeded = () => open.result.createObjectStore('records', { keyPath: 'id' });
    return request(open);
  }

  // Puts every record in one transaction; resolves once it committed.
  async function putAll(db, records) {
    const tx = db.transaction('records', 'readwrite');
    const store = tx.objectStore('records');
    for (const r of records) store.put(r);
    await done(tx);
  }

  window.benchFloor = {
    // One fetch of every record plus one transaction storing them all.
    async fetchAndStore(url, name) {
      const db = await freshDb(name);
      const t0 = performance.now();
      const records = await (await original(url)).json();
      await putAll(db, records);
      const ms = performance.now() - t0;
      db.close();
      return { ms, count: records.length };
    },
    // `records` puts in one transaction (the records already in memory).
    async puts(url, name) {
      const records = await (await original(url)).json();
      const db = await freshDb(name);
      const t0 = performance.now();
      await putAll(db, records);
      const ms = performance.now() - t0;
      db.close();
      return { ms, count: records.length };
    },
    // One record in one transaction, `times` times (a transaction each); the time of each.
    async savesOneByOne(record, name, times) {
      const db = await freshDb(name);
      const samples = [];
      for (let i = 0; i < times; i++) {
        const r = Object.assign({}, record, { id: record.id + '-' + i });
        const t0 = performance.now();
        const tx = db.transaction('records', 'readwrite');
        tx.objectStore('records').put(r);
        await done(tx);
        samples.push(performance.now() - t0);
      }
      db.close();
      return samples;
    },
  };
})();
