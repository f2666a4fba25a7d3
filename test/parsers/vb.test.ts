// The Visual Basic extractor (issue 9): which classes a .vb file declares, their namespace, whether
// they are NotInheritable/Public, implement IBackgroundTask with Run and a Canceled handler, or inherit a base.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractFacts } from '../../src/core/parsers/extract';

const text = `Imports Windows.ApplicationModel.Background

Namespace Company.Tasks
    ' Class Decoy in a comment, and "Class InString" in a string, are not classes.
    Public NotInheritable Class SyncTask
        Implements IBackgroundTask

        Public Sub Run(taskInstance As IBackgroundTaskInstance) Implements IBackgroundTask.Run
            Dim s = "Class InString"
            AddHandler taskInstance.Canceled, AddressOf OnCanceled
        End Sub
    End Class

    Friend Class Helper
        Inherits Company.Tasks.Base
    End Class
End Namespace
`;

test('VB classes: task class with namespace, sealed/public, Run and Canceled; other classes with their bases', () => {
  const facts = extractFacts('/w/Tasks.vb', 'vb', text);
  assert.deepEqual(facts.taskClasses.map((c) => [c.fullName, c.isPublic, c.isSealed, !!c.run, c.handlesCanceled, c.language]), [['Company.Tasks.SyncTask', true, true, true, true, 'vb']]);
  assert.equal(text.slice(facts.taskClasses[0].nameSpan.start, facts.taskClasses[0].nameSpan.end), 'SyncTask');
  assert.deepEqual(facts.classes.map((c) => [c.fullName, c.isPublic, c.bases]), [['Company.Tasks.Helper', false, ['Company.Tasks.Base']]]);
});

test('a .vb file without Background is not parsed, and junk never throws', () => {
  assert.deepEqual(extractFacts('/w/Other.vb', 'vb', 'Public Class X\nEnd Class').taskClasses, []);
  for (const junk of ['Class', 'Namespace\nClass Background', '"unterminated Background', "End Namespace\nEnd Class ' Background"]) extractFacts('/w/J.vb', 'vb', junk);
});
