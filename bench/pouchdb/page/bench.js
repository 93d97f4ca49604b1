// PouchDB's side of `cargo xtask bench sync_vs_pouchdb`, run in the browser
// with PouchDB's `indexeddb` adapter against the PouchDB server this page
// comes from. Each function resolves to what the driver times and checks.
'use strict';

(function () {
  const remoteUrl = (name) => location.origin + '/db/' + name;
  const local = (name) => new PouchDB(name, { adapter: 'indexeddb' });

  async function digestOf(db) {
    const all = await db.allDocs({ include_docs: true });
    return benchDigest(all.rows.map((row) => ({ id: row.id, data: row.doc.data })));
  }

  async function timed(what) {
    benchNet.reset();
    const t0 = performance.now();
    const result = await what();
    const ms = performance.now() - t0;
    return { ms, net: benchNet.read('/db/'), result };
  }

  window.pouchBench = {
    // Initial replication of `remote` into the empty local database `name`.
    async pull(name, remote) {
      const db = local(name);
      const run = await timed(() => db.replicate.from(remoteUrl(remote)));
      const check = await digestOf(db);
      await db.close();
      return { ms: run.ms, net: run.net, docs_written: run.result.docs_written, check };
    },
    // Writes the docs of `url` into the new local database `name` (not timed: they were made offline).
    async createOffline(name, url) {
      const docs = await (await fetch(url)).json();
      const db = local(name);
      for (let i = 0; i < docs.length; i += 1000) {
        await db.bulkDocs(docs.slice(i, i + 1000));
      }
      const check = await digestOf(db);
      await db.close();
      return check;
    },
    // Replicates the local database `name` to the new remote database `remote`.
    async push(name, remote) {
      const db = local(name);
      const run = await timed(() => db.replicate.to(remoteUrl(remote)));
      await db.close();
      return { ms: run.ms, net: run.net, docs_written: run.result.docs_written };
    },
    // Adds `docs` to the local database `name` (offline changes, not timed).
    async addOffline(name, docs) {
      const db = local(name);
      const written = await db.bulkDocs(docs);
      await db.close();
      return written.filter((r) => r.ok).length;
    },
    // One two-way sync of `name` with `remote`.
    async sync(name, remote) {
      const db = local(name);
      const run = await timed(() => db.sync(remoteUrl(remote)));
      const check = await digestOf(db);
      await db.close();
      return {
        ms: run.ms,
        net: run.net,
        pulled: run.result.pull.docs_written,
        pushed: run.result.push.docs_written,
        check,
      };
    },
    async destroy(name) {
      await local(name).destroy();
    },
  };
})();
