namespace P2PShare.EndToEnd.Tests.Harness;

/// <summary>A running peer node and what it printed when it became ready.</summary>
internal sealed record PeerProcess(ChildProcess Process, string Name, string DataDir, string PeerId, int Port);
