// Task classes that get the class rules wrong; each comment names the rule that fires.
using System;
using System.Threading.Tasks;
using Windows.ApplicationModel.Background;

namespace Tasks
{
    // task-class-not-sealed
    public class UnsealedTask : IBackgroundTask
    {
        public void Run(IBackgroundTaskInstance taskInstance)
        {
            taskInstance.Canceled += (sender, reason) => { };
        }
    }

    // task-class-not-public
    internal sealed class InternalTask : IBackgroundTask
    {
        public void Run(IBackgroundTaskInstance taskInstance)
        {
            taskInstance.Canceled += (sender, reason) => { };
        }
    }

    // component-class-not-sealed: every public class of a Windows Runtime Component must be sealed
    public class TaskHelper
    {
        public static string Describe(string name) => "Task " + name;
    }

    // task-run-missing (and canceled-not-handled)
    public sealed class NoRunTask : IBackgroundTask
    {
    }

    // async-run-without-deferral: Windows may suspend the host at the first await
    public sealed class AsyncTask : IBackgroundTask
    {
        public async void Run(IBackgroundTaskInstance taskInstance)
        {
            taskInstance.Canceled += (sender, reason) => { };
            await Task.Delay(1000);
        }
    }

    // deferral-after-await: too late, Run has already returned once
    public sealed class LateDeferralTask : IBackgroundTask
    {
        public async void Run(IBackgroundTaskInstance taskInstance)
        {
            taskInstance.Canceled += (sender, reason) => { };
            await Task.Delay(1000);
            var deferral = taskInstance.GetDeferral();
            deferral.Complete();
        }
    }

    // deferral-never-completed: the task holds the host until it times out
    public sealed class NeverCompletedTask : IBackgroundTask
    {
        public async void Run(IBackgroundTaskInstance taskInstance)
        {
            taskInstance.Canceled += (sender, reason) => { };
            var deferral = taskInstance.GetDeferral();
            await Task.Delay(1000);
        }
    }

    // deferral-complete-not-in-finally, and canceled-not-handled: no Canceled handler
    public sealed class FragileTask : IBackgroundTask
    {
        public async void Run(IBackgroundTaskInstance taskInstance)
        {
            var deferral = taskInstance.GetDeferral();
            try
            {
                await Task.Delay(1000);
            }
            catch (TaskCanceledException)
            {
            }
            deferral.Complete();
        }
    }
}
