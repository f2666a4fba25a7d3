// The application class: nothing background-specific beyond navigation; the scenarios register the tasks.
using Windows.ApplicationModel.Activation;
using Windows.UI.Xaml;

namespace SDKTemplate
{
    sealed partial class App : Application
    {
        public App()
        {
            this.InitializeComponent();
        }

        protected override void OnLaunched(LaunchActivatedEventArgs e)
        {
            Window.Current.Activate();
        }
    }
}
