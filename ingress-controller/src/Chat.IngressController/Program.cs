using Chat.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("ingress-controller");
var app = builder.Build();
app.MapServiceDefaults();
app.Run();
