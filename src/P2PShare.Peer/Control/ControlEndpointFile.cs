using System.Diagnostics;
using System.Text.Json;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Control;

/// <summary>
/// <c>DATA_DIR/.p2pshare/control.json</c>: where a running node's control API listens and the token it wants.
/// One-shot verbs read it to talk to the node instead of starting a second one on the same data dir. Only the
/// owner can read it (0600 from the moment it exists, in the 0700 state directory).
/// </summary>
internal sealed record ControlEndpointFile(string Url, string Token, int Pid)
{
    public const string TokenHeader = "X-Control-Token";

    public static string PathFor(string stateDir) => System.IO.Path.Combine(stateDir, "control.json");

    public void Write(string stateDir)
    {
        OwnerOnly.WriteAtomically(PathFor(stateDir), JsonSerializer.SerializeToUtf8Bytes(this, ControlJson.Options));
    }

    /// <summary>The file of a node that is still running, or null.</summary>
    public static ControlEndpointFile? ReadLive(string stateDir)
    {
        string path = PathFor(stateDir);
        ControlEndpointFile? file;
        try
        {
            file = JsonSerializer.Deserialize<ControlEndpointFile>(File.ReadAllText(path), ControlJson.Options);
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }

        return file is not null && IsAlive(file.Pid) ? file : null;
    }

    public static void Delete(string stateDir)
    {
        try
        {
            File.Delete(PathFor(stateDir));
        }
        catch (IOException)
        {
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
