using Microsoft.AspNetCore.Http.Features;

namespace Chat.Proxy.Timeouts;

/// <summary>Wraps Kestrel's upgrade so the proxy learns when the connection was really upgraded and can wrap its stream.</summary>
internal sealed class TrackingUpgradeFeature(IHttpUpgradeFeature inner, Func<Stream, Stream> onUpgraded) : IHttpUpgradeFeature
{
    public bool Upgraded { get; private set; }

    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync()
    {
        var stream = await inner.UpgradeAsync();
        Upgraded = true;
        return onUpgraded(stream);
    }
}
