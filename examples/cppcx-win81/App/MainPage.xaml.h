// MainPage.xaml.h: the page that registers the app's background tasks.
#pragma once

#include "MainPage.g.h"

namespace BackgroundTaskApp
{
    public ref class MainPage sealed
    {
    public:
        MainPage();

    private:
        void RegisterTasks();
        void RegisterTimeZoneTask();
        void RegisterMaintenanceTask();
        void OnCompleted(Windows::ApplicationModel::Background::BackgroundTaskRegistration^ task, Windows::ApplicationModel::Background::BackgroundTaskCompletedEventArgs^ args);
    };
}
