using P2PShare.Peer.Cli;

return await PeerCommandLine.Build().Parse(args).InvokeAsync();
