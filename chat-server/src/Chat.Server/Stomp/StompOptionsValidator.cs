using Microsoft.Extensions.Options;

namespace Chat.Server.Stomp;

/// <summary>Refuses start-up with a clear message when a STOMP limit makes no sense.</summary>
public sealed class StompOptionsValidator : IValidateOptions<StompOptions>
{
    public ValidateOptionsResult Validate(string? name, StompOptions options)
    {
        var errors = new List<string>();
        void Positive(int value, string key)
        {
            if (value <= 0)
            {
                errors.Add($"{StompOptions.SectionName}:{key} must be positive (was {value}).");
            }
        }

        Positive(options.MaxFrameBytes, nameof(options.MaxFrameBytes));
        Positive(options.MaxHeaders, nameof(options.MaxHeaders));
        Positive(options.MaxHeaderLineBytes, nameof(options.MaxHeaderLineBytes));
        Positive(options.MaxSubscriptions, nameof(options.MaxSubscriptions));
        Positive(options.MaxFramesPerSecond, nameof(options.MaxFramesPerSecond));
        Positive(options.FrameBurst, nameof(options.FrameBurst));
        Positive(options.MaxTransactions, nameof(options.MaxTransactions));
        Positive(options.MaxFramesPerTransaction, nameof(options.MaxFramesPerTransaction));
        Positive(options.OutgoingQueueBytes, nameof(options.OutgoingQueueBytes));
        Positive(options.ConnectTimeoutMilliseconds, nameof(options.ConnectTimeoutMilliseconds));
        if (options.MaxHeaderLineBytes > options.MaxFrameBytes)
        {
            errors.Add($"{StompOptions.SectionName}:MaxHeaderLineBytes ({options.MaxHeaderLineBytes}) must not exceed MaxFrameBytes ({options.MaxFrameBytes}).");
        }

        if (options.HeartBeatSendMilliseconds < 0 || options.HeartBeatReceiveMilliseconds < 0)
        {
            errors.Add($"{StompOptions.SectionName}:HeartBeat*Milliseconds must be 0 (off) or positive.");
        }

        if (options.HeartBeatTolerance < 1)
        {
            errors.Add($"{StompOptions.SectionName}:HeartBeatTolerance must be at least 1 (was {options.HeartBeatTolerance}).");
        }

        foreach (var origin in options.AllowedOrigins)
        {
            if (origin != "*" && !(Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/"))
            {
                errors.Add($"{StompOptions.SectionName}:AllowedOrigins entry '{origin}' is not '*' or an origin like https://chat.example.com.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
