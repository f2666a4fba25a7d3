// Which registrations in C#/C++ code run at app start (replayed on launch) and which wait for a
// button (registered on demand): the patterns of Microsoft's BackgroundTask sample and of apps that
// register from OnLaunched, the first page, or a helper they call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { enclosingAt, reachableFromLaunch, type CodeFile } from '../../src/host/launchReach';

const file = (path: string, text: string): CodeFile => ({ path, text });

const APP_CS = file('App.xaml.cs', `
namespace Sample {
  sealed partial class App : Application {
    public App() { InitializeComponent(); }
    protected override void OnLaunched(LaunchActivatedEventArgs e) {
      var rootFrame = new Frame();
      rootFrame.Navigate(typeof(MainPage), e.Arguments);
      Tasks.RegisterAtStart();
    }
  }
}`);

test('a Click handler registers on demand, as the sample\'s scenario pages do', () => {
  const page = file('Scenario1.xaml.cs', `
public sealed partial class Scenario1 : Page {
  private void RegisterBackgroundTask(object sender, RoutedEventArgs e) {
    var task = BackgroundTaskSample.RegisterBackgroundTask("Tasks.T", "T", new SystemTrigger(SystemTriggerType.TimeZoneChange, false), null);
  }
}`);
  const at = enclosingAt(page.text, page.text.indexOf('BackgroundTaskSample.RegisterBackgroundTask'));
  assert.deepEqual(at, { method: 'RegisterBackgroundTask', cls: 'Scenario1' });
  assert.equal(reachableFromLaunch(at.method, at.cls, [APP_CS, page]), false);
});

test('OnLaunched, and a helper OnLaunched calls, register at launch', () => {
  const tasks = file('Tasks.cs', `
static class Tasks {
  public static void RegisterAtStart() {
    if (Lookup("T") == null) { var b = new BackgroundTaskBuilder(); b.Register(); }
  }
}`);
  const at = enclosingAt(tasks.text, tasks.text.indexOf('b.Register'));
  assert.equal(at.method, 'RegisterAtStart');
  assert.equal(reachableFromLaunch(at.method, at.cls, [APP_CS, tasks]), true);
  assert.equal(reachableFromLaunch('OnLaunched', 'App', [APP_CS]), true);
});

test('the page OnLaunched navigates to registers at launch from its constructor or OnNavigatedTo; another page does not', () => {
  const main = file('MainPage.xaml.cs', `
public sealed partial class MainPage : Page {
  public MainPage() { InitializeComponent(); Register(); }
  protected override void OnNavigatedTo(NavigationEventArgs e) { }
  void Register() { new BackgroundTaskBuilder().Register(); }
}`);
  const other = file('Other.xaml.cs', `
public sealed partial class Other : Page {
  protected override void OnNavigatedTo(NavigationEventArgs e) { new BackgroundTaskBuilder().Register(); }
}`);
  assert.equal(reachableFromLaunch('Register', 'MainPage', [APP_CS, main, other]), true);
  assert.equal(reachableFromLaunch('OnNavigatedTo', 'Other', [APP_CS, main, other]), false);
});

test('C++/CX: a registration inside a continuation lambda belongs to the method around it; C++/WinRT xaml_typename counts as navigation', () => {
  const cpp = file('MainPage.xaml.cpp', `
MainPage::MainPage()
{
    InitializeComponent();
    RegisterTasks();
}
void MainPage::RegisterTasks()
{
    create_task(BackgroundExecutionManager::RequestAccessAsync()).then([this](BackgroundAccessStatus status)
    {
        if (status == BackgroundAccessStatus::Denied) { return; }
        RegisterTimeZoneTask();
    });
}`);
  assert.deepEqual(enclosingAt(cpp.text, cpp.text.indexOf('RegisterTimeZoneTask();')), { method: 'RegisterTasks', cls: 'MainPage' });
  const app = file('App.cpp', `
void App::OnLaunched(LaunchActivatedEventArgs const& e)
{
    rootFrame.Navigate(xaml_typename<BackgroundApp::MainPage>(), box_value(e.Arguments()));
}`);
  assert.equal(reachableFromLaunch('RegisterTimeZoneTask', 'MainPage', [app, cpp]), true);
  const button = file('Settings.cpp', `
void Settings::OnRegisterClick(IInspectable const&, RoutedEventArgs const&)
{
    RegisterTimeZoneTask();
}`);
  assert.equal(reachableFromLaunch('OnRegisterClick', 'Settings', [app, cpp, button]), false);
});

test('with no start code in the workspace, MainPage is taken as the first page', () => {
  const main = file('MainPage.xaml.cpp', 'MainPage::MainPage()\n{\n    Register();\n}\n');
  assert.equal(reachableFromLaunch('MainPage', 'MainPage', [main]), true);
  assert.equal(reachableFromLaunch('OnRegisterClick', 'Settings', [main]), false);
});
