using System.Diagnostics;
using System.Globalization;

namespace P2PShare.Testing;

/// <summary>Stopping a process by PID the way an operator would: SIGTERM for a clean stop, SIGKILL for a crash.</summary>
public static class LocalProcess
{
    /// <summary>SIGTERM: the process may clean up and exit.</summary>
    public static void Terminate(int pid) => Signal(pid, "TERM");

    /// <summary>SIGKILL: a crash, with no chance to clean up.</summary>
    public static void Kill(int pid) => Signal(pid, "KILL");

    private static void Signal(int pid, string signal)
    {
        var start = new ProcessStartInfo("kill") { UseShellExecute = false };
        start.ArgumentList.Add("-" + signal);
        start.ArgumentList.Add(pid.ToString(CultureInfo.InvariantCulture));
        using var kill = Process.Start(start);
        kill?.WaitForExit();
    }
}
