// task-class-not-sealed: a C++/CX task class must be `public ref class X sealed`.
#pragma once

using namespace Windows::ApplicationModel::Background;

namespace CxTasks
{
    public ref class NotSealedTask : public IBackgroundTask
    {
    public:
        virtual void Run(IBackgroundTaskInstance^ taskInstance);
    };
}
