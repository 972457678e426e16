using Chat.Gateway.Hosting;
using Chat.Proxy;
using Chat.Proxy.Hosting;
using Chat.Proxy.Observability;
using Chat.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddGatewayConfigFile();
builder.WebHost.UseChatProxyInlineIo(builder.Configuration);
builder.AddServiceDefaults("gateway", ChatProxyMetrics.MeterName);
builder.AddGateway();

var app = builder.Build();
app.MapServiceDefaults();
app.MapChatProxy();
app.Run();
