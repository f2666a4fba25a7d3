// Tests of task-project-not-winmd: the bad fixtures fire at exactly the expected ranges, the good ones (near-misses)
// stay silent, and the quick fix removes the finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFindings, findingsOf } from '../../../../test/helpers/ruleHarness';
import { fixture, fixRoundTrip } from '../codeTestKit';

const ID = 'task-project-not-winmd';

test("\u00a78 #2 a task class in a Class Library fires at OutputType", async () => {
  const dir = fixture(ID, "bad");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Tasks/Tasks.csproj", covers: "Library" }]);
});

test("\u00a78 #2 a Windows Runtime Component and a class in the app project: in good stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good"))).map((f) => f.message), []);
});

test("\u00a78 #2 quick fix sets winmdobj", async () => {
  const { before, after, texts } = await fixRoundTrip(ID, fixture(ID, "bad"), "Library");
  assert.equal(after.length, before.length - 1);
  assert.ok(texts.get("Tasks/Tasks.csproj")?.includes("<OutputType>winmdobj</OutputType>"), texts.get("Tasks/Tasks.csproj"));
});
