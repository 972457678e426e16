using System.Text.RegularExpressions;
using Chat.Contracts;
using Chat.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Chat.Server.Rooms;

/// <summary>Validation of what clients send: user names, room names, message content.</summary>
public sealed partial class ChatInput(IOptions<ChatOptions> options)
{
    private readonly ChatOptions _options = options.Value;

    public string Room(string? room)
    {
        if (string.IsNullOrEmpty(room) || room.Length > _options.MaxRoomLength || !RoomPattern().IsMatch(room))
        {
            throw new ChatValidationException(
                $"Invalid room name: use 1-{_options.MaxRoomLength} letters, digits, '-' or '_'.");
        }

        return room;
    }

    public string User(string? user)
    {
        var name = user?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            throw new ChatValidationException("The user name is empty.");
        }

        if (name.Length > _options.MaxNameLength)
        {
            throw new ChatValidationException($"The user name is longer than {_options.MaxNameLength} characters.");
        }

        if (name.Any(c => IsUnsafe(c) || c is '\n' or '\t'))
        {
            throw new ChatValidationException("The user name contains control characters.");
        }

        return name;
    }

    public string Content(string? content)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            throw new ChatValidationException("The message is empty.");
        }

        if (content.Length > _options.MaxContentLength)
        {
            throw new ChatValidationException($"The message is longer than {_options.MaxContentLength} characters.");
        }

        if (content.Any(c => IsUnsafe(c) && c is not '\n' and not '\t'))
        {
            throw new ChatValidationException("The message contains control characters.");
        }

        return content;
    }

    /// <summary>A resume position a client sent (epoch and last offset); none without an epoch.</summary>
    public RoomPosition? Position(string? epoch, long offset)
    {
        if (string.IsNullOrEmpty(epoch))
        {
            return null;
        }

        if (epoch.Length > 64 || !RoomPattern().IsMatch(epoch) || offset < 0)
        {
            throw new ChatValidationException("Invalid resume position: the epoch and offset must come from a received message.");
        }

        return new RoomPosition(epoch, offset);
    }

    /// <summary>Control characters, and the bidirectional overrides that make text read differently than it is.</summary>
    private static bool IsUnsafe(char c) =>
        char.IsControl(c) || c is >= '\u202A' and <= '\u202E' || c is >= '\u2066' and <= '\u2069';

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex RoomPattern();
}
