// timezonetask.js: runs when the time zone changes. Records the change in LocalSettings, reports
// progress, and closes: a JavaScript task must call close() when done.
(function () {
    "use strict";

    var backgroundTaskInstance = Windows.UI.WebUI.WebUIBackgroundTaskInstance.current;
    var settings = Windows.Storage.ApplicationData.current.localSettings;
    var canceled = false;

    backgroundTaskInstance.addEventListener("canceled", function (reason) {
        canceled = true;
    });

    var count = (settings.values["TimeZoneTask.count"] || 0) + 1;
    settings.values["TimeZoneTask.count"] = count;
    backgroundTaskInstance.progress = 50;

    settings.values[backgroundTaskInstance.task.name] = canceled ? "Canceled" : "Completed (" + count + " time zone changes)";
    backgroundTaskInstance.progress = 100;
    backgroundTaskInstance.succeeded = !canceled;
    close();
})();
