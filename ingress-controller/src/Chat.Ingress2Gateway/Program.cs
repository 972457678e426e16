using Chat.Ingress2Gateway;

return await ConverterCommand.Create(Console.In, Console.Out, Console.Error).Parse(args).InvokeAsync();
