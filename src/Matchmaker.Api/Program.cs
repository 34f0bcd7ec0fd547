var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/", () => "Matchmaker");
app.Run();

public partial class Program;
