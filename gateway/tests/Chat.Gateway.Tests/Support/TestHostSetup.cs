using System.Runtime.CompilerServices;

namespace Chat.Gateway.Tests.Support;

internal static class TestHostSetup
{
    /// <summary>Hundreds of in-process clients reconnecting at once must not wait for the thread pool to grow.</summary>
    [ModuleInitializer]
    internal static void Initialize() => ThreadPool.SetMinThreads(256, 256);
}
