// Registers the never-closing task (correctly: the problem is in the task script).
(function () {
    "use strict";
    var background = Windows.ApplicationModel.Background;
    WinJS.Application.onactivated = function () {
        var iter = background.BackgroundTaskRegistration.allTasks.first();
        while (iter.hasCurrent) {
            if (iter.current.value.name === "NeverClose") return;
            iter.moveNext();
        }
        var builder = new background.BackgroundTaskBuilder();
        builder.name = "NeverClose";
        builder.taskEntryPoint = "js\\neverclose.js";
        builder.setTrigger(new background.SystemTrigger(background.SystemTriggerType.timeZoneChange, false));
        try {
            builder.register().addEventListener("completed", function (args) { args.checkResult(); });
        } catch (e) {
        }
    };
    WinJS.Application.start();
})();
