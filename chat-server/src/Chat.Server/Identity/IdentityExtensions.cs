using Chat.Contracts;
using Chat.Server.Identity.Jwt;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Chat.Server.Identity;

/// <summary>Wiring of <c>Chat:Auth</c>: anonymous names, or JwtBearer with room authorization and the dev token issuer.</summary>
public static class IdentityExtensions
{
    public static WebApplicationBuilder AddChatIdentity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<IRoomAuthorizer, ClaimRoomAuthorizer>();
        services.AddAuthorization();

        var auth = builder.Configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        if (auth.Mode != AuthMode.Jwt)
        {
            return builder;
        }

        var jwt = auth.Jwt;
        var dev = jwt.DevTokens ? new DevTokenIssuer(jwt) : null;
        if (dev is not null)
        {
            services.AddSingleton(dev);
        }

        services.AddSingleton<JwtTokenValidator>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false; // claim names as the issuer wrote them: sub, preferred_username, chat_rooms
            o.Authority = string.IsNullOrWhiteSpace(jwt.Authority) ? null : jwt.Authority;
            o.MetadataAddress = string.IsNullOrWhiteSpace(jwt.MetadataAddress) ? null! : jwt.MetadataAddress;
            o.RequireHttpsMetadata = jwt.RequireHttpsMetadata;
            var keys = jwt.SigningKeys.Select(k => (SecurityKey)new SymmetricSecurityKey(Convert.FromBase64String(k))).ToList();
            var issuers = new List<string>(jwt.Issuers);
            if (dev is not null)
            {
                keys.Add(dev.Key);
                issuers.Add(DevTokenIssuer.Issuer);
            }

            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateAudience = true,
                ValidAudiences = jwt.AudiencesOrDefault,
                ValidateIssuer = true,
                ValidIssuers = issuers,
                IssuerSigningKeys = keys,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                ClockSkew = TimeSpan.FromSeconds(jwt.ClockSkewSeconds),
                NameClaimType = jwt.NameClaimsOrDefault[0],
            };
            o.Events = new JwtBearerEvents
            {
                // Browsers cannot set headers on WebSockets and EventSource: SignalR sends the token as access_token,
                // accepted on the hub's path only (query strings end up in logs elsewhere).
                OnMessageReceived = context =>
                {
                    if (context.HttpContext.Request.Path.StartsWithSegments(ChatHubProtocol.Path)
                        && context.Request.Query["access_token"] is [{ Length: > 0 } token])
                    {
                        context.Token = token;
                    }

                    return Task.CompletedTask;
                },
            };
        });
        return builder;
    }

    /// <summary>Authentication (Jwt mode), authorization, <c>GET /auth/config</c> and the dev token endpoint when enabled.</summary>
    public static WebApplication UseChatIdentity(this WebApplication app)
    {
        var auth = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        if (auth.Mode == AuthMode.Jwt)
        {
            app.UseAuthentication();
        }

        app.UseAuthorization();
        var dev = app.Services.GetService<DevTokenIssuer>();
        app.MapGet("/auth/config", () => Results.Json(new { mode = auth.Mode.ToString(), devTokens = dev is not null }));
        if (dev is not null)
        {
            app.Logger.LogWarning("Chat:Auth:Jwt:DevTokens is on: /auth/dev-token hands out tokens for any name. For local runs only.");
            app.MapPost("/auth/dev-token", (string? name, string? rooms, TimeProvider time) =>
                DevTokenIssuer.Refusal(name) is { } refusal
                    ? Results.BadRequest(new { error = refusal })
                    : Results.Json(new { accessToken = dev.Issue(name!, rooms, time) }));
        }

        return app;
    }
}
