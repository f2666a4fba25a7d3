// appsdk-incompatible-builder: the WinRT BackgroundTaskBuilder with SetTaskEntryPointClsid and a
// SystemTrigger fails with 0x80070032; use Microsoft.Windows.ApplicationModel.Background.BackgroundTaskBuilder.
using System;
using Windows.ApplicationModel.Background;

namespace BrokenAppSdk
{
    public static class Registration
    {
        public static async void Register()
        {
            await BackgroundExecutionManager.RequestAccessAsync();
            foreach (var task in BackgroundTaskRegistration.AllTasks) { if (task.Value.Name == "ComTask") return; }
            var builder = new Windows.ApplicationModel.Background.BackgroundTaskBuilder();
            builder.Name = "ComTask";
            builder.SetTrigger(new SystemTrigger(SystemTriggerType.TimeZoneChange, false));
            builder.SetTaskEntryPointClsid(new Guid("8C5A2E1D-3B4F-4A6C-9D7E-0F1A2B3C4D5E"));
            try { builder.Register().Completed += (s, e) => { }; } catch (Exception) { }
        }
    }
}
