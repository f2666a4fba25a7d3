// default.js: on launch, asks for lock-screen access (a TimeTrigger needs it on Windows 8.1) and
// registers each background task once, reusing an existing registration with the same name.
(function () {
    "use strict";

    var background = Windows.ApplicationModel.Background;
    var app = WinJS.Application;

    function findTask(name) {
        var iter = background.BackgroundTaskRegistration.allTasks.first();
        while (iter.hasCurrent) {
            if (iter.current.value.name === name) {
                return iter.current.value;
            }
            iter.moveNext();
        }
        return null;
    }

    function onCompleted(args) {
        var settings = Windows.Storage.ApplicationData.current.localSettings;
        try {
            args.checkResult();
            settings.values[args.target.name + ".result"] = "Succeeded";
        } catch (e) {
            settings.values[args.target.name + ".result"] = "Failed: " + e.message;
        }
    }

    function registerTimeZoneTask() {
        var existing = findTask("TimeZoneTask");
        if (existing) {
            existing.addEventListener("completed", onCompleted);
            return;
        }
        var builder = new background.BackgroundTaskBuilder();
        builder.name = "TimeZoneTask";
        builder.taskEntryPoint = "js\\timezonetask.js";
        builder.setTrigger(new background.SystemTrigger(background.SystemTriggerType.timeZoneChange, false));
        try {
            var task = builder.register();
            task.addEventListener("completed", onCompleted);
        } catch (e) {
            document.getElementById("status").textContent = "TimeZoneTask: " + e.message;
        }
    }

    function registerRefreshTask() {
        var existing = findTask("RefreshTask");
        if (existing) {
            existing.addEventListener("completed", onCompleted);
            return;
        }
        var builder = new background.BackgroundTaskBuilder();
        builder.name = "RefreshTask";
        builder.taskEntryPoint = "js\\refreshtask.js";
        builder.setTrigger(new background.TimeTrigger(30, false));
        builder.addCondition(new background.SystemCondition(background.SystemConditionType.internetAvailable));
        builder.cancelOnConditionLoss = true;
        try {
            var task = builder.register();
            task.addEventListener("completed", onCompleted);
        } catch (e) {
            document.getElementById("status").textContent = "RefreshTask: " + e.message;
        }
    }

    app.onactivated = function (args) {
        registerTimeZoneTask();
        background.BackgroundExecutionManager.requestAccessAsync().done(function (status) {
            if (status === background.BackgroundAccessStatus.denied || status === background.BackgroundAccessStatus.unspecified) {
                document.getElementById("status").textContent = "Not on the lock screen: RefreshTask not registered.";
                return;
            }
            registerRefreshTask();
            document.getElementById("status").textContent = "Background tasks registered.";
        });
    };

    app.start();
})();
