// Runs after the app is updated (SystemTriggerType.ServicingComplete). Synchronous: it does its work
// inside Run, so it needs no deferral.
using System.Diagnostics;
using Windows.ApplicationModel.Background;
using Windows.Storage;

namespace Tasks
{
    public sealed class ServicingComplete : IBackgroundTask
    {
        private volatile bool _cancelRequested = false;

        public void Run(IBackgroundTaskInstance taskInstance)
        {
            Debug.WriteLine("ServicingComplete " + taskInstance.Task.Name + " starting...");
            taskInstance.Canceled += OnCanceled;

            // Re-register tasks, migrate settings... here: report progress to the app.
            uint progress;
            for (progress = 0; progress <= 100; progress += 10)
            {
                if (_cancelRequested)
                {
                    break;
                }
                taskInstance.Progress = progress;
            }

            ApplicationData.Current.LocalSettings.Values[taskInstance.Task.Name] = _cancelRequested ? "Canceled" : "Completed";
            Debug.WriteLine("ServicingComplete " + taskInstance.Task.Name + (_cancelRequested ? " canceled" : " completed"));
        }

        private void OnCanceled(IBackgroundTaskInstance sender, BackgroundTaskCancellationReason reason)
        {
            _cancelRequested = true;
        }
    }
}
