'use strict';
// One line that shows the mode it was built for, the user it runs as, and that its one
// production dependency made it into the image.
const ms = require('ms');

const mode = process.env.APP_ENV || 'production';
const version = process.env.APP_VERSION || 'dev';
const uid = typeof process.getuid === 'function' ? process.getuid() : 'n/a';
console.log(`hello-node ${version} (${mode}) on node ${process.version}, uid ${uid}: ` +
  `2 days = ${ms('2 days')} ms`);
