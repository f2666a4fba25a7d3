// Loaded by the VS Code extension host as extensionTestsPath: runs every *.test.js here with mocha
// (tdd) and writes {passed, failed, skipped} to $IT_RESULT_FILE for run.mjs.
const path = require('path');
const fs = require('fs');
const Mocha = require('mocha');

exports.run = function run() {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60000, reporter: 'spec' });
  for (const f of fs.readdirSync(__dirname).sort()) if (f.endsWith('.test.js')) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const s = runner.stats || {};
      const summary = { passed: s.passes || 0, failed: s.failures || 0, skipped: s.pending || 0 };
      console.log(`[it-result] ${JSON.stringify(summary)}`);
      if (process.env.IT_RESULT_FILE) fs.writeFileSync(process.env.IT_RESULT_FILE, JSON.stringify(summary));
      failures > 0 ? reject(new Error(`${failures} test(s) failed`)) : resolve();
    });
    runner.on('pass', (t) => console.log(`[it] ok   ${t.fullTitle()} (${t.duration} ms)`));
    runner.on('fail', (t, err) => console.log(`[it] FAIL ${t.fullTitle()}: ${err && err.message}`));
    runner.on('pending', (t) => console.log(`[it] skip ${t.fullTitle()}`));
  });
};
