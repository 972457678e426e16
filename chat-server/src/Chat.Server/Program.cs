using Chat.Contracts;
using Chat.Server.Balancing;
using Chat.Server.Hosting;
using Chat.Server.Identity;
using Chat.Server.Limits;
using Chat.Server.Observability;
using Chat.Server.Stomp;
using Chat.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults("chat-server", ChatMetrics.MeterName);
builder.AddChatServer();
builder.AddStomp();
builder.AddRebalancing();

var app = builder.Build();

app.UseForwardedHeaders();
app.UseSecurityHeaders();
app.UseReplicaHeader();
app.UseLoadReports();
app.UseWebSockets();
app.UseDefaultFiles();
app.UseStaticFiles();
app.MapServiceDefaults();
app.UseChatIdentity();
app.UseHubAdmission(ChatHubProtocol.Path);
app.MapChatHub(ChatHubProtocol.Path);
app.MapStomp(ChatStompProtocol.Path);

app.Run();

/// <summary>Entry point, visible to in-process tests (WebApplicationFactory).</summary>
public partial class Program;
