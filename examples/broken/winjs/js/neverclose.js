// js-task-never-closes: this task never calls close(), so Windows keeps it alive until it cancels
// it as idle, and the next task for the same trigger cannot start. (file.close() does not count.)
(function () {
    "use strict";
    var instance = Windows.UI.WebUI.WebUIBackgroundTaskInstance.current;
    var settings = Windows.Storage.ApplicationData.current.localSettings;
    instance.addEventListener("canceled", function () { });
    Windows.Storage.ApplicationData.current.localFolder.createFileAsync("log.txt").then(function (file) {
        return file.openAsync(Windows.Storage.FileAccessMode.readWrite);
    }).done(function (stream) {
        settings.values["ran"] = true;
        stream.close();
    });
})();
