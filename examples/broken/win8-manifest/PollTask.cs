// The task the Windows 8 manifest declares (fine in itself).
using Windows.ApplicationModel.Background;

namespace Win8Tasks
{
    public sealed class PollTask : IBackgroundTask
    {
        public void Run(IBackgroundTaskInstance taskInstance)
        {
            taskInstance.Canceled += (sender, reason) => { };
        }
    }
}
