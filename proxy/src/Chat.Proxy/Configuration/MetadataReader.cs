using System.Globalization;

namespace Chat.Proxy.Configuration;

/// <summary>Parses <see cref="ChatProxyMetadata"/> values; a bad value is an <see cref="InvalidOperationException"/> naming the owner and key.</summary>
internal static class MetadataReader
{
    public static bool HasChatKeys(IReadOnlyDictionary<string, string>? metadata) =>
        metadata is not null && metadata.Keys.Any(k => k.StartsWith("Chat.", StringComparison.Ordinal));

    public static string? String(IReadOnlyDictionary<string, string>? metadata, string key) =>
        metadata is not null && metadata.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    public static TimeSpan? Seconds(IReadOnlyDictionary<string, string>? metadata, string key, string owner)
    {
        var text = String(metadata, key);
        if (text is null)
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds <= 0 || seconds > 86_400 * 7)
        {
            throw new InvalidOperationException($"{owner}: metadata '{key}' must be a number of seconds > 0 (at most a week), got '{text}'.");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    public static int? PositiveInt(IReadOnlyDictionary<string, string>? metadata, string key, string owner)
    {
        var text = String(metadata, key);
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            throw new InvalidOperationException($"{owner}: metadata '{key}' must be a whole number > 0, got '{text}'.");
        }

        return value;
    }

    public static bool? Bool(IReadOnlyDictionary<string, string>? metadata, string key, string owner)
    {
        var text = String(metadata, key);
        if (text is null)
        {
            return null;
        }

        return bool.TryParse(text, out var value)
            ? value
            : throw new InvalidOperationException($"{owner}: metadata '{key}' must be true or false, got '{text}'.");
    }

    public static string? OneOf(IReadOnlyDictionary<string, string>? metadata, string key, string owner, params string[] allowed)
    {
        var text = String(metadata, key);
        if (text is null)
        {
            return null;
        }

        return allowed.FirstOrDefault(a => string.Equals(a, text, StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException($"{owner}: metadata '{key}' must be one of {string.Join(", ", allowed)}, got '{text}'.");
    }

    public static string? Path(IReadOnlyDictionary<string, string>? metadata, string key, string owner)
    {
        var text = String(metadata, key);
        if (text is not null && !text.StartsWith('/'))
        {
            throw new InvalidOperationException($"{owner}: metadata '{key}' must be a path starting with '/', got '{text}'.");
        }

        return text;
    }
}
