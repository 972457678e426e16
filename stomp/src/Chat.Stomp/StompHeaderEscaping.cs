using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Chat.Stomp;

/// <summary>
/// STOMP 1.1/1.2 header escaping: <c>\r</c>, <c>\n</c>, <c>\c</c> (colon) and <c>\\</c>; any other escape is a
/// fatal protocol error. CONNECT, STOMP and CONNECTED frames are not escaped.
/// </summary>
public static class StompHeaderEscaping
{
    private static readonly SearchValues<char> Special = SearchValues.Create("\r\n:\\");

    /// <summary>Decodes one header name or value: unescapes (when asked) and checks that it is valid UTF-8.</summary>
    public static string Decode(ReadOnlySpan<byte> raw, bool unescape)
    {
        if (!unescape || raw.IndexOf((byte)'\\') < 0)
        {
            return ToUtf16(raw);
        }

        var rented = raw.Length > 512 ? ArrayPool<byte>.Shared.Rent(raw.Length) : null;
        try
        {
            var buffer = rented is null ? stackalloc byte[raw.Length] : rented.AsSpan(0, raw.Length);
            var length = 0;
            for (var i = 0; i < raw.Length; i++)
            {
                var b = raw[i];
                if (b != (byte)'\\')
                {
                    buffer[length++] = b;
                    continue;
                }

                if (++i == raw.Length)
                {
                    throw new StompProtocolException("Invalid header escape: a backslash ends the header");
                }

                buffer[length++] = raw[i] switch
                {
                    (byte)'r' => (byte)'\r',
                    (byte)'n' => (byte)'\n',
                    (byte)'c' => (byte)':',
                    (byte)'\\' => (byte)'\\',
                    _ => throw new StompProtocolException($"Invalid header escape '\\{(char)raw[i]}' (allowed: \\r \\n \\c \\\\)"),
                };
            }

            return ToUtf16(buffer[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Writes a header name or value as UTF-8, escaped when asked.</summary>
    public static void Encode(IBufferWriter<byte> output, string value, bool escape)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length) * (escape ? 2 : 1);
        var span = output.GetSpan(max);
        if (!escape || value.AsSpan().IndexOfAny(Special) < 0)
        {
            output.Advance(Encoding.UTF8.GetBytes(value, span));
            return;
        }

        var written = 0;
        var rest = value.AsSpan();
        while (true)
        {
            var special = rest.IndexOfAny(Special);
            written += Encoding.UTF8.GetBytes(special < 0 ? rest : rest[..special], span[written..]);
            if (special < 0)
            {
                break;
            }

            span[written++] = (byte)'\\';
            span[written++] = rest[special] switch
            {
                '\r' => (byte)'r',
                '\n' => (byte)'n',
                ':' => (byte)'c',
                _ => (byte)'\\',
            };
            rest = rest[(special + 1)..];
        }

        output.Advance(written);
    }

    private static string ToUtf16(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return string.Empty;
        }

        if (!Utf8.IsValid(utf8))
        {
            throw new StompProtocolException("Header is not valid UTF-8", StompFault.InvalidUtf8);
        }

        return StompHeaders.Lookup(utf8) ?? Encoding.UTF8.GetString(utf8);
    }
}
