// Every package in package-lock.json must carry an approved open-source licence; anything else
// (no licence, an unknown or a proprietary one) fails the check, naming the package.
// Usage: node scripts/check-licences.mjs [path/to/package-lock.json]
import { readFileSync } from 'node:fs';

const ALLOWED = new Set([
  '0BSD',
  'Apache-2.0',
  'BlueOak-1.0.0',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'CC0-1.0',
  'CC-BY-4.0',
  'ISC',
  'MIT',
  'MPL-2.0',
  'Python-2.0',
  'Unlicense',
]);

/** True when an SPDX expression is satisfied by allowed licences: `(MIT OR GPL-3.0)` is. */
export function allowed(expression) {
  const text = expression.trim().replace(/^\((.*)\)$/, '$1');
  if (text.includes(' OR ')) return text.split(' OR ').some(allowed);
  if (text.includes(' AND ')) return text.split(' AND ').every(allowed);
  return ALLOWED.has(text);
}

const lockPath = process.argv[2] ?? new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const refused = [];
let counted = 0;
for (const [path, entry] of Object.entries(lock.packages ?? {})) {
  if (path === '' || entry.link) continue; // the console itself, workspace links
  counted += 1;
  const licence = typeof entry.license === 'string' ? entry.license : '';
  if (!licence || !allowed(licence)) {
    refused.push(`${path.replace(/^.*node_modules\//, '')}@${entry.version}: ${licence || 'no licence'}`);
  }
}
if (refused.length > 0) {
  console.error(`licence check: ${refused.length} package(s) without an approved licence:`);
  for (const line of refused) console.error(`  ${line}`);
  process.exit(1);
}
console.log(`licence check: ${counted} packages, all with an approved open-source licence`);
