using Chat.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("gateway");
var app = builder.Build();
app.MapServiceDefaults();
app.Run();
