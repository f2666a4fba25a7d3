// task-project-not-winmd: this task lives in a Class Library; Windows cannot activate it.
using Windows.ApplicationModel.Background;

namespace Tasks
{
    public sealed class SyncTasks : IBackgroundTask
    {
        public void Run(IBackgroundTaskInstance taskInstance)
        {
            taskInstance.Canceled += (sender, reason) => { };
        }
    }
}
