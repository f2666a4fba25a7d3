// Registration code that gets the registration rules wrong; each comment names the rule that fires.
// request-access-missing: nothing in this app calls BackgroundExecutionManager.RequestAccessAsync.
using System;
using Windows.ApplicationModel.Background;

namespace BrokenApp
{
    public static class UncheckedRegistrations
    {
        // registration-without-existing-check, register-not-guarded, completed-handler-missing,
        // entry-point-class-not-found (Tasks.SyncTask: the class is Tasks.SyncTasks)
        public static void RegisterSync()
        {
            var builder = new BackgroundTaskBuilder();
            builder.Name = "Sync";
            builder.TaskEntryPoint = "Tasks.SyncTask";
            builder.SetTrigger(new SystemTrigger(SystemTriggerType.InternetAvailable, false));
            builder.Register();
        }
    }

    public static class Registrations
    {
        private static bool IsRegistered(string name)
        {
            foreach (var task in BackgroundTaskRegistration.AllTasks)
            {
                if (task.Value.Name == name) return true;
            }
            return false;
        }

        // duplicate-task-name: "Sync" again, with another trigger
        // entry-point-not-declared: Tasks.NoRunTask has no manifest Extension
        public static void RegisterSyncOnTimer()
        {
            if (IsRegistered("Sync")) return;
            foreach (var task in BackgroundTaskRegistration.AllTasks) { }
            var builder = new BackgroundTaskBuilder { Name = "Sync", TaskEntryPoint = "Tasks.NoRunTask" };
            builder.SetTrigger(new TimeTrigger(30, false));
            try { builder.Register().Completed += OnCompleted; } catch (Exception) { }
        }

        // trigger-type-not-declared: Tasks.LateDeferralTask declares systemEvent and general, not timer
        // freshness-too-short: 10 minutes, Windows requires at least 15
        public static void RegisterTimer()
        {
            foreach (var task in BackgroundTaskRegistration.AllTasks) { if (task.Value.Name == "Timer") return; }
            var builder = new BackgroundTaskBuilder();
            builder.Name = "Timer";
            builder.TaskEntryPoint = "Tasks.LateDeferralTask";
            builder.SetTrigger(new TimeTrigger(10, false));
            try { builder.Register().Completed += OnCompleted; } catch (Exception) { }
        }

        // freshness-too-long: more than 30 days
        public static void RegisterMaintenance()
        {
            foreach (var task in BackgroundTaskRegistration.AllTasks) { if (task.Value.Name == "Maintenance") return; }
            var builder = new BackgroundTaskBuilder();
            builder.Name = "Maintenance";
            builder.TaskEntryPoint = "Tasks.LateDeferralTask";
            builder.SetTrigger(new MaintenanceTrigger(50000, false));
            try { builder.Register().Completed += OnCompleted; } catch (Exception) { }
        }

        // conflicting-conditions: the user can't be present and away at once
        // oneshot-not-supported: ControlChannelReset must not be one-shot
        public static void RegisterConflicting()
        {
            foreach (var task in BackgroundTaskRegistration.AllTasks) { if (task.Value.Name == "Conflicting") return; }
            var builder = new BackgroundTaskBuilder();
            builder.Name = "Conflicting";
            builder.TaskEntryPoint = "Tasks.UnsealedTask";
            builder.SetTrigger(new SystemTrigger(SystemTriggerType.ControlChannelReset, true));
            builder.AddCondition(new SystemCondition(SystemConditionType.UserPresent));
            builder.AddCondition(new SystemCondition(SystemConditionType.UserNotPresent));
            try { builder.Register().Completed += OnCompleted; } catch (Exception) { }
        }

        // single-instance-trigger-reused: two ApplicationTrigger registrations in one app
        public static void RegisterOnDemand()
        {
            foreach (var task in BackgroundTaskRegistration.AllTasks) { if (task.Value.Name.StartsWith("OnDemand")) return; }
            var first = new BackgroundTaskBuilder { Name = "OnDemand1", TaskEntryPoint = "Tasks.UnsealedTask" };
            first.SetTrigger(new ApplicationTrigger());
            var second = new BackgroundTaskBuilder { Name = "OnDemand2", TaskEntryPoint = "Tasks.UnsealedTask" };
            second.SetTrigger(new ApplicationTrigger());
            try
            {
                first.Register().Completed += OnCompleted;
                second.Register().Completed += OnCompleted;
            }
            catch (Exception) { }
        }

        private static void OnCompleted(BackgroundTaskRegistration sender, BackgroundTaskCompletedEventArgs args)
        {
            try { args.CheckResult(); } catch (Exception) { }
        }
    }
}
