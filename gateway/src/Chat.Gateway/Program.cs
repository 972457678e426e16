using Chat.Gateway.Hosting;
using Chat.Proxy;
using Chat.Proxy.Observability;
using Chat.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddGatewayConfigFile();
builder.AddServiceDefaults("gateway", ChatProxyMetrics.MeterName);
builder.AddGateway();

var app = builder.Build();
app.MapServiceDefaults();
app.MapChatProxy();
app.Run();
