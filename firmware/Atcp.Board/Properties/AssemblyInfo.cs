using System.Reflection;

// The nanoFramework project system does not generate assembly attributes; the metadata processor
// reads the version from here.
[assembly: AssemblyTitle("Atcp.Board")]
[assembly: AssemblyDescription("atcp storage board application (ESP32, nanoFramework)")]
[assembly: AssemblyProduct("atcp")]
[assembly: AssemblyVersion("1.0.0.0")]
