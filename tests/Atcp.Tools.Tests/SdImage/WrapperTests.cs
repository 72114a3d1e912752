using System.Diagnostics;
using Atcp.SdImage;
using Atcp.TestSupport;

namespace Atcp.Tools.Tests.SdImage;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class WrapperTests
{
    [Fact]
    public void Script_IsExecutableBash_AndRunsThisAssembly()
    {
        string script = RepoPaths.Under("tools", "sdimage");
        Assert.True((File.GetUnixFileMode(script) & UnixFileMode.UserExecute) != 0, "tools/sdimage is not executable");
        var check = Process.Start(new ProcessStartInfo("bash", ["-n", script]) { RedirectStandardError = true })!;
        string errors = check.StandardError.ReadToEnd();
        check.WaitForExit();
        Assert.True(check.ExitCode == 0, errors);
        string name = typeof(SdImageTool).Assembly.GetName().Name!;
        Assert.Equal("atcp-sdimage", name);
        Assert.Contains($"bin/Release/net10.0/{name}.dll", File.ReadAllText(script));
    }

    [Fact]
    public void Help_PrintsUsageAndSucceeds_WhileNoArgumentsIsAUsageError()
    {
        Assert.Contains("usage: sdimage build", SdImageHarness.RunOk("--help").Out);
        var bare = SdImageHarness.Run();
        Assert.Equal(2, bare.ExitCode);
        Assert.Contains("usage: sdimage build", bare.Error);
    }
}
