using P2PShare.Tracker;

return await TrackerCommandLine.Build().Parse(args).InvokeAsync();
