// MainPage.xaml.cpp: asks for lock-screen access (a TimeTrigger needs it on Windows 8.1), then
// registers each task once: an existing registration with the same name is reused, not duplicated.
#include "pch.h"
#include "MainPage.xaml.h"

using namespace BackgroundTaskApp;
using namespace concurrency;
using namespace Platform;
using namespace Windows::ApplicationModel::Background;
using namespace Windows::Storage;

MainPage::MainPage()
{
    InitializeComponent();
    RegisterTasks();
}

void MainPage::RegisterTasks()
{
    create_task(BackgroundExecutionManager::RequestAccessAsync()).then([this](BackgroundAccessStatus status)
    {
        if (status == BackgroundAccessStatus::Denied || status == BackgroundAccessStatus::Unspecified)
        {
            return;
        }
        RegisterTimeZoneTask();
        RegisterMaintenanceTask();
    });
}

void MainPage::RegisterTimeZoneTask()
{
    auto iter = BackgroundTaskRegistration::AllTasks->First();
    while (iter->HasCurrent)
    {
        if (iter->Current->Value->Name == "TimeZoneTask")
        {
            return;
        }
        iter->MoveNext();
    }

    auto builder = ref new BackgroundTaskBuilder();
    builder->Name = "TimeZoneTask";
    builder->TaskEntryPoint = "Tasks.SampleBackgroundTask";
    builder->SetTrigger(ref new SystemTrigger(SystemTriggerType::TimeZoneChange, false));
    try
    {
        auto task = builder->Register();
        task->Completed += ref new BackgroundTaskCompletedEventHandler(this, &MainPage::OnCompleted);
    }
    catch (Exception^ ex)
    {
        ApplicationData::Current->LocalSettings->Values->Insert("TimeZoneTask", ex->Message);
    }
}

void MainPage::RegisterMaintenanceTask()
{
    auto iter = BackgroundTaskRegistration::AllTasks->First();
    while (iter->HasCurrent)
    {
        if (iter->Current->Value->Name == "MaintenanceTask")
        {
            return;
        }
        iter->MoveNext();
    }

    auto builder = ref new BackgroundTaskBuilder();
    builder->Name = "MaintenanceTask";
    builder->TaskEntryPoint = "Tasks.SampleBackgroundTask";
    builder->SetTrigger(ref new TimeTrigger(60, false));
    builder->AddCondition(ref new SystemCondition(SystemConditionType::InternetAvailable));
    builder->CancelOnConditionLoss = true;
    try
    {
        auto task = builder->Register();
        task->Completed += ref new BackgroundTaskCompletedEventHandler(this, &MainPage::OnCompleted);
    }
    catch (Exception^ ex)
    {
        ApplicationData::Current->LocalSettings->Values->Insert("MaintenanceTask", ex->Message);
    }
}

void MainPage::OnCompleted(BackgroundTaskRegistration^ task, BackgroundTaskCompletedEventArgs^ args)
{
    try
    {
        args->CheckResult();
    }
    catch (Exception^ ex)
    {
        ApplicationData::Current->LocalSettings->Values->Insert(task->Name, ex->Message);
    }
}
