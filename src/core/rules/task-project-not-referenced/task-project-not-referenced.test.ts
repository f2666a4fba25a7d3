// Tests of task-project-not-referenced: the bad fixtures fire at exactly the expected ranges, the good ones (near-misses)
// stay silent, and the quick fix removes the finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFindings, findingsOf } from '../../../../test/helpers/ruleHarness';
import { fixture, fixRoundTrip } from '../codeTestKit';

const ID = 'task-project-not-referenced';

test("\u00a78 #3 an unreferenced task project fires once at its first EntryPoint", async () => {
  const dir = fixture(ID, "bad");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "App/Package.appxmanifest", covers: "Tasks.SyncTask" }]);
});

test("\u00a78 #3 a transitive reference and a class in the app project: in good stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good"))).map((f) => f.message), []);
});

test("\u00a78 #3 quick fix adds the ProjectReference", async () => {
  const { before, after, texts } = await fixRoundTrip(ID, fixture(ID, "bad"), "Tasks.SyncTask");
  assert.equal(after.length, before.length - 1);
  assert.ok(texts.get("App/App.csproj")?.includes("<ItemGroup>\n    <ProjectReference Include=\"..\\Tasks\\Tasks.csproj\" />\n  </ItemGroup>"), texts.get("App/App.csproj"));
});

test("issue 9 tasks\\tasks.csproj names Tasks/Tasks.csproj (Windows paths are case-insensitive): in good-case-insensitive stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-case-insensitive"))).map((f) => f.message), []);
});
