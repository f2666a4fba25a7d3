// Scenario 5: a task the app signals itself with ApplicationTrigger.RequestAsync.
using System;
using Windows.ApplicationModel.Background;
using Windows.UI.Xaml;
using Windows.UI.Xaml.Controls;

namespace SDKTemplate
{
    public sealed partial class Scenario5_ApplicationTriggerTask : Page
    {
        private ApplicationTrigger trigger = new ApplicationTrigger();

        private void RegisterBackgroundTask(object sender, RoutedEventArgs e)
        {
            var task = BackgroundTaskSample.RegisterBackgroundTask(BackgroundTaskSample.SampleBackgroundTaskEntryPoint,
                                                                   BackgroundTaskSample.ApplicationTriggerTaskName,
                                                                   trigger,
                                                                   null);
        }

        private async void SignalBackgroundTask(object sender, RoutedEventArgs e)
        {
            // Reset the completion status before signalling.
            Windows.Storage.ApplicationData.Current.LocalSettings.Values.Remove(BackgroundTaskSample.ApplicationTriggerTaskName);
            var result = await trigger.RequestAsync();
            Status.Text = "Signal result: " + result.ToString();
        }
    }
}
