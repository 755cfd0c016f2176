// pkijs and asn1js, loaded by require. They are CommonJS packages: an ESM `import` of one makes
// Node scan its whole source for export names first (cjs-module-lexer), which for pkijs's 800 kB
// cost about 0.24 s of CPU in every worker (import 240 - 400 ms, require 65 - 80 ms, measured on
// Node 20). `require` returns the same module object an import would wrap.
import { createRequire } from 'node:module';
import type * as Asn1js from 'asn1js';
import type * as Pkijs from 'pkijs';

const require = createRequire(import.meta.url);

export const asn1js = require('asn1js') as typeof Asn1js;
export const pkijs = require('pkijs') as typeof Pkijs;
