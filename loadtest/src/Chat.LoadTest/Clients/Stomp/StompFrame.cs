using System.Text;

namespace Chat.LoadTest.Clients.Stomp;

/// <summary>One STOMP 1.2 frame: command, headers (first occurrence wins, as the spec says) and a text body.</summary>
public sealed record StompFrame(string Command, IReadOnlyDictionary<string, string> Headers, string Body = "")
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The frame on the wire, NUL-terminated; header values escaped except in CONNECT (spec 1.2).</summary>
    public string Serialize()
    {
        var text = new StringBuilder(Command).Append('\n');
        var escape = Command is not ("CONNECT" or "CONNECTED");
        foreach (var (name, value) in Headers)
        {
            text.Append(escape ? Escape(name) : name).Append(':').Append(escape ? Escape(value) : value).Append('\n');
        }

        return text.Append('\n').Append(Body).Append('\0').ToString();
    }

    /// <summary>Parses one frame (without its NUL); leading end-of-lines (heart-beats) are skipped. Null if only those.</summary>
    public static StompFrame? Parse(string text)
    {
        var start = 0;
        while (start < text.Length && text[start] is '\n' or '\r')
        {
            start++;
        }

        if (start == text.Length)
        {
            return null;
        }

        var headerEnd = text.IndexOf("\n\n", start, StringComparison.Ordinal);
        var bodyStart = headerEnd + 2;
        var crlf = text.IndexOf("\r\n\r\n", start, StringComparison.Ordinal);
        if (crlf >= 0 && (headerEnd < 0 || crlf < headerEnd))
        {
            headerEnd = crlf;
            bodyStart = crlf + 4;
        }

        if (headerEnd < 0)
        {
            throw new FormatException("STOMP frame without the blank line after its headers.");
        }

        var lines = text[start..headerEnd].Split('\n');
        var command = lines[0].TrimEnd('\r');
        var unescape = command is not ("CONNECT" or "CONNECTED");
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1))
        {
            var header = line.TrimEnd('\r');
            var colon = header.IndexOf(':');
            if (colon <= 0)
            {
                continue;
            }

            var name = header[..colon];
            var value = header[(colon + 1)..];
            headers.TryAdd(unescape ? Unescape(name) : name, unescape ? Unescape(value) : value);
        }

        return new StompFrame(command, headers, bodyStart <= text.Length ? text[bodyStart..] : "");
    }

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\").Replace("\r", "\\r").Replace("\n", "\\n").Replace(":", "\\c");

    private static string Unescape(string value)
    {
        if (!value.Contains('\\'))
        {
            return value;
        }

        var text = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '\\' || i + 1 == value.Length)
            {
                text.Append(value[i]);
                continue;
            }

            text.Append(value[++i] switch
            {
                'n' => '\n',
                'r' => '\r',
                'c' => ':',
                _ => value[i],
            });
        }

        return text.ToString();
    }
}
