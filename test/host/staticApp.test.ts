// The host's model of an app's code: a task group named through a variable resolves to its id (§5
// TaskGroup), as the BackgroundTask sample's scenario 6 builds it; the example's grouped registration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { groupId, loadApp } from '../../src/host/staticApp';
import { REPO } from './helpers';

test('§5 a task group passed as a variable resolves to the id it was created with, through a constant', () => {
  const page = 'group = BackgroundTaskRegistration.GetTaskGroup(Config.GroupId) ?? new BackgroundTaskRegistrationGroup(Config.GroupId, Config.GroupName);';
  const config = { path: 'Config.cs', text: 'public const string GroupId = "3F2504E0-5F89-41D3-9A0C-0405E82C3333";' };
  assert.equal(groupId('group', page, [config]), '3F2504E0-5F89-41D3-9A0C-0405E82C3333');
  assert.equal(groupId('new BackgroundTaskRegistrationGroup("my-id", "Name")', '', []), 'my-id');
  assert.equal(groupId('3F2504E0-5F89-41D3-9A0C-0405E82C3333', '', []), '3F2504E0-5F89-41D3-9A0C-0405E82C3333');
  assert.equal(groupId('unknownGroup', 'nothing here', []), 'unknownGroup', 'unresolved names stay as written');
});

test('the C# example\'s grouped registration carries the group id, not the parameter name', async () => {
  const app = await loadApp(path.join(REPO, 'examples/csharp-uwp'));
  const grouped = app.registrations.find((r) => r.spec.name === 'GroupedBackgroundTask');
  assert.equal(grouped?.spec.group, '3F2504E0-5F89-41D3-9A0C-0405E82C3333');
  assert.equal(grouped?.onLaunch, false);
  assert.match(String(grouped?.registeredBy), /^Scenario6_GroupedTask\.RegisterGroupedBackgroundTask/);
});
