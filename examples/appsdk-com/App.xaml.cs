// App.xaml.cs: registers the COM background task once, with the Windows App SDK builder, on a
// 15-minute TimeTrigger (the minimum freshness).
using System;
using Microsoft.UI.Xaml;
using Windows.ApplicationModel.Background;
using AppSdkBackground = Microsoft.Windows.ApplicationModel.Background;

namespace BackgroundTaskApp
{
    public partial class App : Application
    {
        private const string TaskName = "AppSdkTimerTask";

        public App()
        {
            this.InitializeComponent();
        }

        protected override async void OnLaunched(LaunchActivatedEventArgs args)
        {
            await BackgroundExecutionManager.RequestAccessAsync();
            RegisterTimerTask();
        }

        private static void RegisterTimerTask()
        {
            foreach (var existing in BackgroundTaskRegistration.AllTasks)
            {
                if (existing.Value.Name == TaskName)
                {
                    return;
                }
            }

            var builder = new AppSdkBackground.BackgroundTaskBuilder();
            builder.Name = TaskName;
            builder.SetTrigger(new TimeTrigger(15, false));
            builder.SetTaskEntryPointClsid(new Guid("8C5A2E1D-3B4F-4A6C-9D7E-0F1A2B3C4D5E"));
            try
            {
                var registration = builder.Register();
                registration.Completed += (sender, e) =>
                {
                    try { e.CheckResult(); } catch (Exception) { }
                };
            }
            catch (Exception)
            {
            }
        }
    }
}
