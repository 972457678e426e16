using System.Diagnostics.Metrics;

namespace Chat.Server.Tests.Support;

/// <summary>Meters for a component built by hand in a test, disposed with the factory.</summary>
public sealed class PlainMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options);
        _meters.Add(meter);
        return meter;
    }

    public void Dispose() => _meters.ForEach(m => m.Dispose());
}
