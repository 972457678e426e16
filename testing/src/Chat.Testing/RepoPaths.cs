namespace Chat.Testing;

/// <summary>Where things are in the checkout the tests run from.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The configuration the tests were built in (Debug or Release), read off the test assembly's path.</summary>
    /// CHAT_BUILD_CONFIGURATION overrides it (for tools run outside the build output, such as file-based apps).
    public static string Configuration { get; } =
        Environment.GetEnvironmentVariable("CHAT_BUILD_CONFIGURATION") is { Length: > 0 } configured ? configured
        : AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    /// <summary>The built entry assembly of a project, e.g. ("chat-server", "Chat.Server").</summary>
    public static string ProjectOutput(string component, string project)
    {
        var dll = Path.Combine(Root, component, "src", project, "bin", Configuration, "net10.0", project + ".dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{project} is not built; the test project must reference it so that it is built first.", dll);
        }

        return dll;
    }

    /// <summary>Above the running assembly (tests), or else above the working directory (file-based tools run from the checkout).</summary>
    private static string FindRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Chat.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException($"Chat.sln not found above {AppContext.BaseDirectory} or {Environment.CurrentDirectory}");
    }
}
