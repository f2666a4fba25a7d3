// The task's body: fine, apart from the class declaration in the header.
#include "pch.h"
#include "NotSealedTask.h"

using namespace CxTasks;

void NotSealedTask::Run(IBackgroundTaskInstance^ taskInstance)
{
    taskInstance->Canceled += ref new BackgroundTaskCanceledEventHandler([](IBackgroundTaskInstance^ sender, BackgroundTaskCancellationReason reason) {});
}
