// Scenario 6: a task in a registration group (grouped tasks are not in BackgroundTaskRegistration.AllTasks).
using System;
using Windows.ApplicationModel.Background;
using Windows.UI.Xaml;
using Windows.UI.Xaml.Controls;

namespace SDKTemplate
{
    public sealed partial class Scenario6_GroupedTask : Page
    {
        private BackgroundTaskRegistrationGroup group;

        private void RegisterGroupedBackgroundTask(object sender, RoutedEventArgs e)
        {
            group = BackgroundTaskRegistration.GetTaskGroup(BackgroundTaskSample.BackgroundTaskGroupId)
                ?? new BackgroundTaskRegistrationGroup(BackgroundTaskSample.BackgroundTaskGroupId, BackgroundTaskSample.BackgroundTaskGroupFriendlyName);
            var task = BackgroundTaskSample.RegisterBackgroundTask(BackgroundTaskSample.SampleBackgroundTaskEntryPoint,
                                                                   BackgroundTaskSample.GroupedBackgroundTaskName,
                                                                   new SystemTrigger(SystemTriggerType.TimeZoneChange, false),
                                                                   null,
                                                                   group);
        }

        private void UnregisterUngroupedTasks(object sender, RoutedEventArgs e)
        {
            foreach (var cur in BackgroundTaskRegistration.AllTasks)
            {
                cur.Value.Unregister(true);
            }
        }
    }
}
