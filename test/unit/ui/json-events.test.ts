import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventSchemaErrors } from '../../harness/event-schema.js';
import { jsonName } from '../../../src/ui/json-name.js';

describe('JSON names', () => {
  it('gives a UTF-8 name as its text, control characters and all', () => {
    assert.deepEqual(jsonName(Buffer.from('café/new\nline')), { name: 'café/new\nline' });
  });

  it('gives a name that is not UTF-8 as rsync shows it, and its bytes in base64', () => {
    const bytes = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x74, 0x78, 0x74]);
    const name = jsonName(bytes);
    assert.equal(name.name, 'caf\\#351.txt');
    assert.deepEqual(Buffer.from(name.nameBase64!, 'base64'), bytes);
  });
});

describe('the event schema', () => {
  const summary = { type: 'summary', exitCode: 10, exitMeaning: 'error in socket IO', elapsed: 0.2, stats: null };

  it('accepts the events README shows', () => {
    assert.deepEqual(eventSchemaErrors(summary), []);
    assert.deepEqual(eventSchemaErrors({ type: 'file', name: 'a', action: 'delete', directory: false }), []);
    assert.deepEqual(eventSchemaErrors({ type: 'warning', side: 'dest', host: 'web05', message: 'rsync: x' }), []);
  });

  it('refuses an event that says more or less than the schema, or says it wrongly', () => {
    assert.notDeepEqual(eventSchemaErrors({ ...summary, extra: 1 }), []);
    assert.notDeepEqual(eventSchemaErrors({ type: 'summary', exitCode: 0 }), []);
    assert.notDeepEqual(eventSchemaErrors({ type: 'file', name: 'a', action: 'moved' }), []);
    assert.notDeepEqual(eventSchemaErrors({ type: 'error', side: 'middle', host: null, message: 'x' }), []);
    assert.notDeepEqual(eventSchemaErrors({ type: 'bogus' }), []);
  });
});
