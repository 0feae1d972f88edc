// Validates an AsyncAPI document (default: docs/asyncapi.yaml) and exits non-zero when it is not
// clean: the AsyncAPI parser with its standard ruleset (any error or warning fails; information and
// hints are printed), then every message example against its message's headers and payload
// schemas, which the parser's 3.0 rules leave unchecked. Run by shared-events' build.
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import asyncapi from '@asyncapi/parser';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const { Parser, DiagnosticSeverity } = asyncapi;
const here = fileURLToPath(new URL('.', import.meta.url));
const file = resolve(process.argv[2] ?? resolve(here, '../asyncapi.yaml'));
const shown = relative(process.cwd(), file) || file;
const severityNames = ['error', 'warning', 'info', 'hint'];

const { document, diagnostics } = await new Parser().parse(await readFile(file, 'utf8'), {
  source: file,
});

for (const diagnostic of diagnostics) {
  const line = diagnostic.range ? diagnostic.range.start.line + 1 : '?';
  console.log(
    `${shown}:${line} ${severityNames[diagnostic.severity]} ${diagnostic.code}: ` +
      `${diagnostic.message} (at ${diagnostic.path.join('.') || '/'})`,
  );
}
const failing = diagnostics.filter((d) => d.severity <= DiagnosticSeverity.Warning);
if (document === undefined || failing.length > 0) {
  console.log(`${shown}: ${failing.length} error(s) or warning(s)`);
  process.exit(1);
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
let examples = 0;
const problems = [];
for (const message of document.allMessages()) {
  const name = message.name() ?? message.id();
  if (message.examples().isEmpty()) {
    problems.push(`message ${name} has no example`);
  }
  for (const example of message.examples()) {
    examples += 1;
    for (const [part, schema, value] of [
      ['headers', message.headers()?.json(), example.headers()],
      ['payload', message.payload()?.json(), example.payload()],
    ]) {
      if (schema === undefined) {
        continue;
      }
      if (value === undefined) {
        problems.push(`message ${name}, example ${example.name()}: no ${part}`);
        continue;
      }
      const validate = ajv.compile(schema);
      if (!validate(value)) {
        for (const error of validate.errors) {
          problems.push(
            `message ${name}, example ${example.name()}, ${part}` +
              `${error.instancePath || ''}: ${error.message}`,
          );
        }
      }
    }
  }
}
problems.forEach((problem) => console.log(`${shown}: ${problem}`));
if (problems.length > 0) {
  process.exit(1);
}
console.log(
  `${shown}: valid AsyncAPI ${document.version()}, ${document.allMessages().length} messages, ` +
    `${examples} examples match their schemas, no error or warning`,
);
