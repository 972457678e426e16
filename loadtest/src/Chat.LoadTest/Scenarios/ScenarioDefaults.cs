namespace Chat.LoadTest.Scenarios;

/// <summary>Each scenario's defaults: modest enough for a laptop, every one bounded.</summary>
public sealed record ScenarioDefaults(int Connections, int Rooms, double ConnectRate, double PublishRate, TimeSpan Duration, int Replicas,
    int AddReplicas, TimeSpan SampleInterval)
{
    public static ScenarioDefaults For(ScenarioKind kind) => kind switch
    {
        ScenarioKind.Connect => new(500, 10, 200, 0, TimeSpan.FromSeconds(30), 3, 0, TimeSpan.FromSeconds(1)),
        ScenarioKind.Fanout => new(200, 10, 200, 10, TimeSpan.FromSeconds(30), 3, 0, TimeSpan.FromSeconds(1)),
        ScenarioKind.ScaleOut => new(300, 10, 150, 1, TimeSpan.FromSeconds(60), 2, 2, TimeSpan.FromSeconds(1)),
        ScenarioKind.Chaos => new(60, 6, 100, 5, TimeSpan.FromSeconds(60), 3, 0, TimeSpan.FromSeconds(1)),
        ScenarioKind.Soak => new(100, 10, 50, 2, TimeSpan.FromHours(1), 3, 0, TimeSpan.FromSeconds(5)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
