namespace Chat.Server.Stomp;

/// <summary>Wiring of the STOMP 1.2 over WebSocket endpoint.</summary>
public static class StompEndpointExtensions
{
    /// <summary>Options (section <c>Chat:Stomp</c>, validated at start-up) and the endpoint's services.</summary>
    public static WebApplicationBuilder AddStomp(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<StompOptions>()
            .BindConfiguration(StompOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<StompEndpoint>();
        builder.Services.AddSingleton<StompSessionClock>();
        return builder;
    }

    /// <summary>STOMP over WebSocket at <paramref name="pattern"/> (UseWebSockets must come first).</summary>
    public static WebApplication MapStomp(this WebApplication app, string pattern)
    {
        app.Map(pattern, (HttpContext context, StompEndpoint endpoint) => endpoint.HandleAsync(context));
        return app;
    }
}
