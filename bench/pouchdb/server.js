// The PouchDB side of `cargo xtask bench sync_vs_pouchdb`: a PouchDB server
// (express-pouchdb over PouchDB's LevelDB adapter, data in --dir) on
// loopback, which also serves the bench page (page/), PouchDB's browser
// build (node_modules/pouchdb/dist) and the floor's records file (--dir).
//
//   node server.js --port 0 --dir /tmp/somewhere
//
// Prints `listening <port>` once it accepts connections.
'use strict';

const path = require('path');
const express = require('express');
const PouchDB = require('pouchdb');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const dir = path.resolve(arg('dir', '.'));
const port = Number(arg('port', '0'));
const Prefixed = PouchDB.defaults({ prefix: dir + path.sep });

const app = express();
app.use('/page', express.static(path.join(__dirname, 'page')));
app.use('/pouchdb', express.static(path.join(__dirname, 'node_modules', 'pouchdb', 'dist')));
app.use('/files', express.static(path.join(dir, 'files')));
app.use(
  '/db',
  require('express-pouchdb')(Prefixed, {
    mode: 'minimumForPouchDB',
    configPath: path.join(dir, 'config.json'),
    logPath: path.join(dir, 'log.txt'),
  }),
);

const server = app.listen(port, '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
