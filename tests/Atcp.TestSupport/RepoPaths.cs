using System.Reflection;

namespace Atcp.TestSupport;

/// <summary>Where things are in the repository, found from the running test assembly.</summary>
public static class RepoPaths
{
    /// <summary>The directory holding nf.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release, as the test assembly was built.</summary>
    public static string Configuration { get; } =
        typeof(RepoPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>A path under the repository root.</summary>
    public static string Under(params string[] parts) => Path.Combine([Root, .. parts]);

    static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "nf.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("nf.sln not found above " + AppContext.BaseDirectory);
    }
}
