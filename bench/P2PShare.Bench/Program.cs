using P2PShare.Bench;

return await BenchCommandLine.RunAsync(args);
