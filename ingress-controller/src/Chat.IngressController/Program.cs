using Chat.IngressController.Hosting;
using Chat.IngressController.Observability;
using Chat.Proxy.Observability;
using Chat.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("ingress-controller", ControllerMetrics.MeterName, ChatProxyMetrics.MeterName);
builder.AddIngressController();

var app = builder.Build();
app.MapIngressController();
app.Run();
