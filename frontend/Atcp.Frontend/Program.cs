using Atcp.Frontend.Engine;
using Atcp.Frontend.Hosting;
using Microsoft.Extensions.DependencyInjection;

// The daemon: configuration, the packet socket and the management endpoint (Hosting), driving the
// ATCP protocol engine (Atcp.Frontend.Core) on one thread.
return await FrontendProgram.RunAsync(args, new() { ConfigureServices = s => s.AddSingleton<IFrontendEngineFactory, AtcpEngineFactory>() });
