using Microsoft.Extensions.Logging;

namespace P2PShare.Testing;

/// <summary>
/// An <see cref="ILoggerProvider"/> that keeps every line logged through it ("Level Category: message"), bounded to
/// the most recent <see cref="Capacity"/> lines, and can pass each line on (for example to the test's output).
/// </summary>
public sealed class LogCapture(Action<string>? echo = null, LogLevel minimum = LogLevel.Trace) : ILoggerProvider, ILoggerFactory
{
    public const int Capacity = 10_000;

    private readonly Queue<string> _lines = new();
    private readonly Lock _gate = new();

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    public LogLevel Minimum => minimum;

    public bool Contains(string text) => Lines.Any(line => line.Contains(text, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    void ILoggerFactory.AddProvider(ILoggerProvider provider) => throw new NotSupportedException("LogCapture is its own only provider");

    public void Dispose()
    {
    }

    private void Add(string line)
    {
        lock (_gate)
        {
            if (_lines.Count == Capacity)
            {
                _lines.Dequeue();
            }

            _lines.Enqueue(line);
        }

        try
        {
            echo?.Invoke(line);
        }
        catch (InvalidOperationException)
        {
            // The test has finished and closed its output; the line is still kept here.
        }
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= capture.Minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                capture.Add($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : $"\n{exception}")}");
            }
        }
    }
}
