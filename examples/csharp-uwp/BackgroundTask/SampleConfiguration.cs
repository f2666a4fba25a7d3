// The sample's shared configuration: task names and entry points, and the helper every scenario
// registers through. It looks the name up in AllTasks first, so a relaunch does not duplicate it.
using System;
using Windows.ApplicationModel.Background;
using Windows.Storage;

namespace SDKTemplate
{
    public static class BackgroundTaskSample
    {
        public const string SampleBackgroundTaskEntryPoint = "Tasks.SampleBackgroundTask";
        public const string SampleBackgroundTaskName = "SampleBackgroundTask";
        public const string SampleBackgroundTaskWithConditionName = "SampleBackgroundTaskWithCondition";
        public const string ServicingCompleteTaskEntryPoint = "Tasks.ServicingComplete";
        public const string ServicingCompleteTaskName = "ServicingCompleteTask";
        public const string TimeTriggeredTaskName = "TimeTriggeredTask";
        public const string ApplicationTriggerTaskName = "ApplicationTriggerTask";
        public const string GroupedBackgroundTaskName = "GroupedBackgroundTask";
        public const string BackgroundTaskGroupId = "3F2504E0-5F89-41D3-9A0C-0405E82C3333";
        public const string BackgroundTaskGroupFriendlyName = "Background Task Group";

        public static string SampleBackgroundTaskProgress = "";
        public static bool SampleBackgroundTaskRegistered = false;

        /// <summary>
        /// Register a background task with the specified taskEntryPoint, name, trigger and condition (optional).
        /// </summary>
        public static BackgroundTaskRegistration RegisterBackgroundTask(String taskEntryPoint, String name, IBackgroundTrigger trigger, IBackgroundCondition condition, BackgroundTaskRegistrationGroup group = null)
        {
            // A registration survives app restarts and updates: reuse it instead of adding another one.
            foreach (var existing in BackgroundTaskRegistration.AllTasks)
            {
                if (existing.Value.Name == name)
                {
                    return (BackgroundTaskRegistration)existing.Value;
                }
            }

            if (TaskRequiresBackgroundAccess(name))
            {
                // The result is ignored on purpose, as in the original sample: a denied request shows up as a failed registration.
                var requestTask = BackgroundExecutionManager.RequestAccessAsync();
            }

            var builder = new BackgroundTaskBuilder();
            builder.Name = name;
            builder.TaskEntryPoint = taskEntryPoint;
            builder.SetTrigger(trigger);

            if (condition != null)
            {
                builder.AddCondition(condition);

                // If the condition changes while the background task is executing then it will be canceled.
                builder.CancelOnConditionLoss = true;
            }

            if (group != null)
            {
                builder.TaskGroup = group;
            }

            BackgroundTaskRegistration task = null;
            try
            {
                task = builder.Register();
            }
            catch (Exception ex)
            {
                // Windows validates the registration here (8.1 and later): report, don't crash.
                UpdateBackgroundTaskRegistrationStatus(name, false);
                ApplicationData.Current.LocalSettings.Values[name] = "Registration failed: " + ex.Message;
                return null;
            }

            task.Completed += OnCompleted;
            UpdateBackgroundTaskRegistrationStatus(name, true);

            // Remove previous completion status.
            var settings = ApplicationData.Current.LocalSettings;
            settings.Values.Remove(name);

            return task;
        }

        /// <summary>
        /// Unregister background tasks with the specified name.
        /// </summary>
        public static void UnregisterBackgroundTasks(String name, BackgroundTaskRegistrationGroup group = null)
        {
            var tasks = group != null ? group.AllTasks : BackgroundTaskRegistration.AllTasks;
            foreach (var cur in tasks)
            {
                if (cur.Value.Name == name)
                {
                    cur.Value.Unregister(true);
                }
            }
            UpdateBackgroundTaskRegistrationStatus(name, false);
        }

        public static bool TaskRequiresBackgroundAccess(String name)
        {
            return name == TimeTriggeredTaskName || name == ApplicationTriggerTaskName;
        }

        private static void OnCompleted(BackgroundTaskRegistration sender, BackgroundTaskCompletedEventArgs args)
        {
            try
            {
                args.CheckResult();
                ApplicationData.Current.LocalSettings.Values[sender.Name + ".Result"] = "Succeeded";
            }
            catch (Exception ex)
            {
                ApplicationData.Current.LocalSettings.Values[sender.Name + ".Result"] = "Failed: " + ex.Message;
            }
        }

        public static void UpdateBackgroundTaskRegistrationStatus(String name, bool registered)
        {
            if (name == SampleBackgroundTaskName)
            {
                SampleBackgroundTaskRegistered = registered;
            }
        }
    }
}
