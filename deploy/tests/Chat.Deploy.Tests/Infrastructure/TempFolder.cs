namespace Chat.Deploy.Tests.Infrastructure;

/// <summary>A scratch folder, removed on dispose: where a broken copy of a file tree is written for a tool to read.</summary>
public sealed class TempFolder : IDisposable
{
    private TempFolder(string path) => Path = path;

    public string Path { get; }

    public static TempFolder Create() =>
        new(Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "chat-deploy-" + Guid.NewGuid().ToString("N"))).FullName);

    public static TempFolder CopyOf(string source)
    {
        var folder = Create();
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = System.IO.Path.Combine(folder.Path, System.IO.Path.GetRelativePath(source, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return folder;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the temp folder is the OS's to clean.
        }
    }
}
