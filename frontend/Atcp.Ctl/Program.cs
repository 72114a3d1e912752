using Atcp.Ctl;

return await CtlApp.RunAsync(args, Console.Out, Console.Error);
