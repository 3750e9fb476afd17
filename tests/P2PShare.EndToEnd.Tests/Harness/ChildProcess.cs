using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace P2PShare.EndToEnd.Tests.Harness;

/// <summary>
/// A real process under test: output captured line by line (so tests can await a line instead of sleeping),
/// stdin writable, and stopped by PID — SIGTERM for a clean stop, SIGKILL for a crash.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly Lock _gate = new();
    private readonly ITestOutputHelper? _output;
    private readonly string _label;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process, string label, ITestOutputHelper? output)
    {
        _process = process;
        _label = label;
        _output = output;
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public StreamWriter Input => _process.StandardInput;

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    public static ChildProcess Start(string label, string fileName, IEnumerable<string> args, IDictionary<string, string>? env = null, ITestOutputHelper? output = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["NO_COLOR"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process, label, output);
        process.OutputDataReceived += (_, e) => child.Append(e.Data, "out");
        process.ErrorDataReceived += (_, e) => child.Append(e.Data, "err");
        process.Exited += (_, _) => child.Signal();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for an output line (stdout or stderr) matching <paramref name="pattern"/> and returns its match.</summary>
    public async Task<Match> WaitForLineAsync(string pattern, TimeSpan timeout, CancellationToken cancellationToken, int skip = 0)
    {
        var regex = new Regex(pattern);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var matches = _lines.Select(l => regex.Match(l)).Where(m => m.Success).Skip(skip).ToList();
                if (matches.Count > 0)
                {
                    return matches[0];
                }

                changed = _changed.Task;
            }

            if (_process.HasExited)
            {
                // Let the last lines arrive before giving up.
                _process.WaitForExit();
                lock (_gate)
                {
                    var late = _lines.Select(l => regex.Match(l)).Where(m => m.Success).Skip(skip).FirstOrDefault();
                    if (late is not null)
                    {
                        return late;
                    }
                }

                throw new InvalidOperationException($"{_label} exited with {_process.ExitCode} before printing /{pattern}/:\n{Output}");
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{_label} did not print /{pattern}/ within {timeout}:\n{Output}");
            }
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{_label} did not exit within {timeout}:\n{Output}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGTERM, then SIGKILL if it has not exited within the grace period.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        LocalProcess.Terminate(_process.Id);
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    /// <summary>SIGKILL by PID: a crash, with no chance to clean up.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            LocalProcess.Kill(_process.Id);
            _process.WaitForExit();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5));
        _process.Dispose();
    }

    private void Append(string? line, string stream)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _lines.Add(line);
        }

        try
        {
            _output?.WriteLine($"[{_label} {stream}] {line}");
        }
        catch (InvalidOperationException)
        {
            // The test already finished; its output helper no longer accepts lines.
        }

        Signal();
    }

    private void Signal()
    {
        TaskCompletionSource previous;
        lock (_gate)
        {
            previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }
}
