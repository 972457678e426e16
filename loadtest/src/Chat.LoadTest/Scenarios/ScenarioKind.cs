namespace Chat.LoadTest.Scenarios;

public enum ScenarioKind
{
    /// <summary>Open N connections at a rate and hold them; the distribution per replica over time.</summary>
    Connect,

    /// <summary>Rooms × members × publish rate: delivered messages/s and end-to-end latency.</summary>
    Fanout,

    /// <summary>Hold connections while replicas are added; max/mean per replica over time.</summary>
    ScaleOut,

    /// <summary>Kill and SIGTERM replicas and restart Redis during a fanout; lost and duplicated messages.</summary>
    Chaos,

    /// <summary>A long fanout at a steady rate, bounded by --duration.</summary>
    Soak,
}

public static class ScenarioNames
{
    public static string Name(this ScenarioKind kind) => kind switch
    {
        ScenarioKind.ScaleOut => "scale-out",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
