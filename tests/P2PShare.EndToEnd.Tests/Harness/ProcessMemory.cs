namespace P2PShare.EndToEnd.Tests.Harness;

/// <summary>Resident memory of a child process as Linux reports it in /proc/PID/status.</summary>
internal static class ProcessMemory
{
    /// <summary>Peak resident set size (VmHWM) in bytes: the most the process has held at any moment.</summary>
    public static long PeakResident(int pid) => Read(pid, "VmHWM:");

    /// <summary>Current resident set size (VmRSS) in bytes.</summary>
    public static long Resident(int pid) => Read(pid, "VmRSS:");

    private static long Read(int pid, string field)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0]) * 1024;
            }
        }

        throw new InvalidOperationException($"/proc/{pid}/status has no {field}");
    }
}
