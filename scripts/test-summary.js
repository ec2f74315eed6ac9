#!/usr/bin/env node
// Prints what the jest run executed, from its --json output: how many database tests ran on
// each engine, and the closing tally. Fails if the PostgreSQL half of the database tests did
// not run, since TestDatabases would otherwise drop it without a word.
const fs = require('node:fs');

const file = process.argv[2];
if (!fs.existsSync(file)) {
  console.error(`No test results at ${file}: the test run did not finish.`);
  process.exit(1);
}
const results = JSON.parse(fs.readFileSync(file, 'utf8'));
const tests = results.testResults.flatMap(suite => suite.assertionResults);
const ranOn = engine =>
  tests.filter(t => t.status === 'passed' && t.fullName.includes(engine))
    .length;
const postgres = ranOn('POSTGRES_15');
const sqlite = ranOn('SQLITE_3');

console.log(
  `database tests: ${postgres} passed on PostgreSQL 15, ${sqlite} passed on SQLite`,
);
// A suite that fails to load runs no test; count it as a failure so the tally cannot hide it.
const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
console.log(
  `suites: ${results.numPassedTestSuites} passed, ${results.numFailedTestSuites} failed`,
);
console.log(
  `tests: ${results.numPassedTests} passed, ${failed} failed, ${results.numPendingTests} skipped`,
);
if (postgres === 0 || sqlite === 0) {
  console.error(
    'The database tests must run on both PostgreSQL 15 and SQLite; one of them ran none.',
  );
  process.exit(1);
}
if (!results.success) {
  process.exit(1);
}
