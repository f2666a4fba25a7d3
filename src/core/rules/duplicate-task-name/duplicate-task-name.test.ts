// Tests of duplicate-task-name: the bad fixtures fire at exactly the expected ranges, the good ones (near-misses)
// stay silent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFindings, findingsOf } from '../../../../test/helpers/ruleHarness';
import { fixture } from '../codeTestKit';

const ID = 'duplicate-task-name';

test("§8 #10 one name with two triggers fires on both", async () => {
  const dir = fixture(ID, "bad");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Registrations.cs", covers: "\"Sync\"" }, { file: "Registrations.cs", covers: "\"Sync\"", occurrence: 1 }]);
});

test("§8 #10 near-misses in good stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good"))).map((f) => f.message), []);
});

test("issue 9 constants resolve by scope: each page its own TaskName (C#, and C++/WinRT static constexpr used in the .cpp): in good-scoped-constants stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-scoped-constants"))).map((f) => f.message), []);
});

test("issue 9 a name that really repeats through each page's own constant fires on both", async () => {
  const dir = fixture(ID, "bad-scoped-constants");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "ZonePage.cs", covers: "TaskName", occurrence: 2 }, { file: "TimerPage.cs", covers: "TaskName", occurrence: 2 }]);
});
