// SampleBackgroundTask.h: the task class. Windows Runtime classes exposed from a component must be
// public and sealed, and a background task implements IBackgroundTask.
#pragma once

using namespace Windows::ApplicationModel::Background;
using namespace Windows::System::Threading;

namespace Tasks
{
    [Windows::Foundation::Metadata::WebHostHidden]
    public ref class SampleBackgroundTask sealed : public IBackgroundTask
    {
    public:
        SampleBackgroundTask();

        virtual void Run(IBackgroundTaskInstance^ taskInstance);
        void OnCanceled(IBackgroundTaskInstance^ taskInstance, BackgroundTaskCancellationReason reason);

    private:
        volatile bool CancelRequested;
        BackgroundTaskDeferral^ TaskDeferral;
        ThreadPoolTimer^ PeriodicTimer;
        unsigned int Progress;
        IBackgroundTaskInstance^ TaskInstance;
    };
}
