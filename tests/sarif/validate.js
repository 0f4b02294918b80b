#!/usr/bin/env node
// Validates SARIF files the way zenolint's test suite requires (see README.md here):
//  1. ajv (draft-07, all errors, formats) against the SARIF 2.1.0 JSON schema shipped in the
//     @microsoft/sarif-multitool npm package;
//  2. Microsoft's SARIF multitool: `validate --rule-kind "Sarif;Gh"`. It exits 0 even when it
//     finds problems, so its output log is read and any error-level result fails validation.
// Usage: node validate.js [--verbose] FILE.sarif...   Exit 0: all valid; 1: invalid; 2: set-up error.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

function fail_setup(msg) {
  console.error(`validate.js: ${msg}`);
  process.exit(2);
}

let Ajv, addFormats, multitool;
try {
  Ajv = require('ajv');
  addFormats = require('ajv-formats');
  multitool = require('@microsoft/sarif-multitool'); // path of the native binary for this platform
} catch (e) {
  fail_setup(`validators not installed (run tests/sarif/install.sh): ${e.message}`);
}
const schemaPath = path.join(path.dirname(multitool), 'sarif-2.1.0.json');
if (!fs.existsSync(schemaPath))
  fail_setup(`schema not found at ${schemaPath}`);

const args = process.argv.slice(2);
const verbose = args[0] === '--verbose';
const files = verbose ? args.slice(1) : args;
if (files.length === 0)
  fail_setup('usage: node validate.js [--verbose] FILE.sarif...');

const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
delete schema.$schema; // draft-07 meta-schema URL variant; ajv's default draft is draft-07
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validateSchema = ajv.compile(schema);

let problems = 0;
for (const file of files) {
  let doc;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    console.log(`${file}: not JSON: ${e.message}`);
    ++problems;
    continue;
  }
  if (!validateSchema(doc)) {
    for (const err of validateSchema.errors)
      console.log(`${file}: ajv: ${err.instancePath || '/'} ${err.message} ${JSON.stringify(err.params)}`);
    problems += validateSchema.errors.length;
  } else if (verbose) {
    console.log(`${file}: ajv: valid against ${path.basename(schemaPath)}`);
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sarif-validate-'));
  const outLog = path.join(tmp, 'validation.sarif');
  const r = spawnSync(multitool,
    ['validate', '--rule-kind', 'Sarif;Gh', '--level', 'Error;Warning;Note', '-o', outLog, file],
    { encoding: 'utf8', env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' } });
  if (r.error || r.status !== 0 || !fs.existsSync(outLog)) {
    console.log(`${file}: multitool failed (status ${r.status}${r.error ? ', ' + r.error.message : ''})`);
    console.log(r.stdout, r.stderr);
    ++problems;
    fs.rmSync(tmp, { recursive: true, force: true });
    continue;
  }
  const log = JSON.parse(fs.readFileSync(outLog, 'utf8'));
  fs.rmSync(tmp, { recursive: true, force: true });
  for (const run of log.runs || []) {
    const rules = (run.tool && run.tool.driver && run.tool.driver.rules) || [];
    for (const inv of run.invocations || []) {
      if (inv.executionSuccessful === false) {
        console.log(`${file}: multitool: execution failed`);
        ++problems;
      }
      for (const n of inv.toolExecutionNotifications || []) {
        if ((n.level || 'warning') === 'error') {
          console.log(`${file}: multitool: ${(n.message && n.message.text) || JSON.stringify(n)}`);
          ++problems;
        }
      }
    }
    for (const res of run.results || []) {
      const level = res.level || 'warning';
      const rule = rules[res.ruleIndex] || {};
      const line = `${file}: multitool: ${level} ${res.ruleId} ${rule.name || ''} ${JSON.stringify((res.message || {}).arguments || res.message)}`;
      if (level === 'error') {
        console.log(line);
        ++problems;
      } else if (verbose) {
        console.log(line);
      }
    }
  }
  if (verbose)
    console.log(`${file}: multitool: done`);
}
if (problems) {
  console.log(`${problems} problem(s)`);
  process.exit(1);
}
console.log(`${files.length} file(s) valid`);
