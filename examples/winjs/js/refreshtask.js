// refreshtask.js: runs every 30 minutes while the Internet is available. Works in steps so that it
// can stop early when canceled (the condition was lost), and always ends with close().
(function () {
    "use strict";

    var backgroundTaskInstance = Windows.UI.WebUI.WebUIBackgroundTaskInstance.current;
    var settings = Windows.Storage.ApplicationData.current.localSettings;
    var canceled = false;
    var step = 0;

    backgroundTaskInstance.addEventListener("canceled", function (reason) {
        canceled = true;
    });

    function finish() {
        settings.values[backgroundTaskInstance.task.name] = canceled ? "Canceled at step " + step : "Refreshed";
        backgroundTaskInstance.succeeded = !canceled;
        close();
    }

    function work() {
        if (canceled || step >= 5) {
            finish();
            return;
        }
        step++;
        backgroundTaskInstance.progress = step * 20;
        setTimeout(work, 100);
    }

    work();
})();
