// SampleBackgroundTask.cpp: reports progress every second and records how it ended in LocalSettings.
#include "pch.h"
#include "SampleBackgroundTask.h"

using namespace Tasks;
using namespace Windows::Foundation;
using namespace Windows::Storage;

SampleBackgroundTask::SampleBackgroundTask() : CancelRequested(false), TaskDeferral(nullptr), PeriodicTimer(nullptr), Progress(0), TaskInstance(nullptr)
{
}

void SampleBackgroundTask::Run(IBackgroundTaskInstance^ taskInstance)
{
    taskInstance->Canceled += ref new BackgroundTaskCanceledEventHandler(this, &SampleBackgroundTask::OnCanceled);

    // The periodic timer outlives Run: hold a deferral until it is done.
    TaskDeferral = taskInstance->GetDeferral();
    TaskInstance = taskInstance;

    TimeSpan period;
    period.Duration = 1000 * 10000; // one second
    PeriodicTimer = ThreadPoolTimer::CreatePeriodicTimer(ref new TimerElapsedHandler([this](ThreadPoolTimer^ timer)
    {
        if (!CancelRequested && (Progress < 100))
        {
            Progress += 10;
            TaskInstance->Progress = Progress;
            return;
        }
        PeriodicTimer->Cancel();
        auto settings = ApplicationData::Current->LocalSettings;
        settings->Values->Insert(TaskInstance->Task->Name, CancelRequested ? "Canceled" : "Completed");
        TaskDeferral->Complete();
    }), period);
}

void SampleBackgroundTask::OnCanceled(IBackgroundTaskInstance^ taskInstance, BackgroundTaskCancellationReason reason)
{
    CancelRequested = true;
}
