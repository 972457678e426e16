using System.Collections.Concurrent;
using System.Diagnostics;

namespace Chat.Testing;

/// <summary>
/// A process a test started: output captured for failure messages, killed (with its children) on dispose,
/// and also when the test host exits, so no test leaves a process behind.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<ChildProcess, byte> Live = new();
    private readonly ConcurrentQueue<(DateTimeOffset At, string Line)> _output = new();
    private readonly int _keepLines;
    private readonly Process _process;

    static ChildProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var child in Live.Keys)
            {
                child.Kill();
            }
        };
    }

    /// <param name="keepLines">How many of the last output lines are kept.</param>
    public ChildProcess(string fileName, IEnumerable<string> arguments, IDictionary<string, string?>? environment = null, string? workingDirectory = null,
        int keepLines = 400)
    {
        _keepLines = keepLines;
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }

        _process = new Process { StartInfo = info, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Capture(e.Data);
        _process.ErrorDataReceived += (_, e) => Capture(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Live.TryAdd(this, 0);
        Name = Path.GetFileName(fileName) + " " + string.Join(' ', info.ArgumentList);
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The last lines the process wrote (stdout and stderr), for assertion messages.</summary>
    public string Output => string.Join(Environment.NewLine, _output.Select(l => l.Line));

    /// <summary><see cref="Output"/> with the UTC time each line arrived, for logs kept as artifacts.</summary>
    public string TimedOutput => string.Join(Environment.NewLine, _output.Select(l => $"{l.At:HH:mm:ss.fff} {l.Line}"));

    /// <summary>Sends SIGTERM (graceful stop) without waiting.</summary>
    public void Terminate()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()]);
            kill.WaitForExit();
        }
    }

    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await WaitForExitAsync(TimeSpan.FromSeconds(10));
        Live.TryRemove(this, out _);
        _process.Dispose();
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue((DateTimeOffset.UtcNow, line));
        while (_output.Count > _keepLines && _output.TryDequeue(out _))
        {
        }
    }
}
