namespace Chat.Server.Backplane;

/// <summary>
/// Where replicas report their connection counts to each other, so each can compare itself with its fair share.
/// Reports expire: a replica that stops reporting leaves the view.
/// </summary>
public interface ILoadStore
{
    /// <summary>Writes this replica's count (with the time) and returns every live replica's report, this one's included.</summary>
    Task<IReadOnlyDictionary<string, LoadReport>> ReportAsync(long connections, CancellationToken cancellationToken = default);

    /// <summary>Every live replica's report, without writing this one's (while draining).</summary>
    Task<IReadOnlyDictionary<string, LoadReport>> ReadAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes this replica's report at once (draining).</summary>
    Task WithdrawAsync(CancellationToken cancellationToken = default);
}

/// <summary>One replica's connection count and when it wrote it.</summary>
public readonly record struct LoadReport(long Connections, DateTimeOffset At);
