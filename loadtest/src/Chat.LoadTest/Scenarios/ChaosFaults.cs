namespace Chat.LoadTest.Scenarios;

/// <summary>The faults the local chaos scenario injects, in this order over the hold phase.</summary>
[Flags]
public enum ChaosFaults
{
    None = 0,

    /// <summary>SIGKILL a replica at 20 %, start it again at 35 %.</summary>
    Kill = 1,

    /// <summary>SIGTERM another replica at 50 % (it drains), start it again at 65 %.</summary>
    Terminate = 2,

    /// <summary>Stop redis-server at 80 % for 2 s and start it again, empty.</summary>
    Redis = 4,

    All = Kill | Terminate | Redis,
}
