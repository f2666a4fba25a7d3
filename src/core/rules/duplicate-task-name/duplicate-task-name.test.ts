// Tests of duplicate-task-name: the bad fixtures fire at exactly the expected ranges, the good ones (near-misses)
// stay silent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFindings, checkPath, findingsOf } from '../../../../test/helpers/ruleHarness';
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

test("issue 9 C++ header constants (no Background in the headers): each page resolves its own TaskName through its #include: in good-header-constants stay silent", async () => {
  const dir = fixture(ID, "good-header-constants");
  const { engine } = await checkPath(dir);
  const names = engine.workspace().apps.flatMap((a) => a.registrations).map(({ registration: r }) => (r.name?.kind === 'string' ? r.name.value : '?')).sort();
  assert.deepEqual(names, ["MaintenanceTask", "NetworkTask", "TimerTask"]);
  assert.deepEqual((await findingsOf(ID, dir)).map((f) => f.message), []);
});

test("issue 9 one name in two C++ headers' class constants, with two triggers, fires on both", async () => {
  const dir = fixture(ID, "bad-header-constants");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "winrt/TimerPage.cpp", covers: "TaskName", occurrence: 1 }, { file: "winrt/NetworkPage.cpp", covers: "TaskName", occurrence: 1 }]);
});
