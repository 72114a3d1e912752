using Atcp.Frontend.Hosting;

// No engine is registered here on purpose: the real one lands with the dispatcher (see
// frontend/README.md). Until then the daemon validates its configuration and refuses to start.
return await FrontendProgram.RunAsync(args);
