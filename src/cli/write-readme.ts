// `npm run docs`: rewrites README.md's option table from the option table.
import { readFileSync, writeFileSync } from 'node:fs';
import { withOptionTable } from './option-readme.js';

// Compiled to dist/src/cli/, three levels below the package root.
const readme = new URL('../../../README.md', import.meta.url);
writeFileSync(readme, withOptionTable(readFileSync(readme, 'utf8')));
