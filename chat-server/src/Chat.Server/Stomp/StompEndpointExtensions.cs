namespace Chat.Server.Stomp;

/// <summary>Wiring of the STOMP 1.2 over WebSocket endpoint.</summary>
public static class StompEndpointExtensions
{
    // TODO(issue 3): options, limits, endpoint.
    public static WebApplicationBuilder AddStomp(this WebApplicationBuilder builder) => builder;

    public static WebApplication MapStomp(this WebApplication app, string pattern) => app;
}
