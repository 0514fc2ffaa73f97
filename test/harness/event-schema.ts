// Checks relaysync's --json events against docs/events.schema.json, the
// schema README documents, with Ajv (a complete JSON Schema 2020-12
// validator, so the schema means what the standard says it means).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';

// Compiled to dist/test/harness/, three levels below the package root.
const schemaPath = fileURLToPath(new URL('../../../docs/events.schema.json', import.meta.url));

const ajv = new Ajv2020({ strict: true, allErrors: true });
// The start event's time: ISO 8601 in UTC, as Date.prototype.toISOString writes it.
ajv.addFormat('date-time', (text: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(text) && !Number.isNaN(Date.parse(text)));
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);

/** What is wrong with one event, by the schema; empty when nothing is. */
export function eventSchemaErrors(event: unknown): string[] {
  if (validate(event)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(event)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

/** Each line of --json output, parsed; a line that is not JSON fails with its text. */
export function parseEvents(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON line: ${JSON.stringify(line)}`);
      }
    });
}
