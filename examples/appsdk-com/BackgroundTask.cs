// BackgroundTask.cs: the COM class Windows activates (through the App SDK's UniversalBGTask shim)
// when the trigger fires. Its GUID is the com:Class Id of the manifest.
using System;
using System.Runtime.InteropServices;
using Windows.ApplicationModel.Background;
using Windows.Storage;

namespace BackgroundTaskApp
{
    [ComVisible(true)]
    [Guid("8C5A2E1D-3B4F-4A6C-9D7E-0F1A2B3C4D5E")]
    public sealed class BackgroundTask : IBackgroundTask
    {
        private volatile bool _canceled;

        [MTAThread]
        public void Run(IBackgroundTaskInstance taskInstance)
        {
            taskInstance.Canceled += (sender, reason) => _canceled = true;
            ApplicationData.Current.LocalSettings.Values["LastRun"] = DateTimeOffset.Now.ToString("o");
            ApplicationData.Current.LocalSettings.Values["LastRunCanceled"] = _canceled;
        }
    }
}
