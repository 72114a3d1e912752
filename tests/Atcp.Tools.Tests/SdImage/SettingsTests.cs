using Atcp.Firmware.Board;
using Atcp.Firmware.Console;
using Atcp.Firmware.Store;

namespace Atcp.Tools.Tests.SdImage;

public class SettingsTests
{
    static BoardConfig Load(string image)
    {
        using var mounted = SdImageHarness.Mount(image);
        var config = new BoardConfig();
        var log = new BoardLog();
        Assert.True(BoardSettings.Load(mounted.Store, config, log, 0));
        Assert.Equal(0, log.Written); // every line understood
        return config;
    }

    [Fact]
    public void BoardId_WritesSettingsTheBoardLoads()
    {
        using var folder = new TempFolder();
        folder.Write("src/a.txt", "a");
        string key = folder.Write("cluster.key", "00112233445566778899AABBCCDDEEFF\n");
        SdImageHarness.RunOk("build", "--board-id", "7", "--cluster-id", "0xbeef0042", "--cluster-key-file", key,
            "--out", folder.PathOf("x.img"), folder.PathOf("src"));
        var c = Load(folder.PathOf("x.img"));
        Assert.Equal(7, c.BoardId);
        Assert.Equal(0xBEEF0042u, c.ClusterId);
        Assert.Equal(Convert.FromHexString("00112233445566778899aabbccddeeff"), c.ClusterKey);
        Assert.Equal(new byte[] { 0x02, 0xA7, 0xC9, 0x0B, 0x00, 0x07 }, c.Mac);
        Assert.Equal(10, c.HeartbeatSeconds);
        Assert.Equal(0u, c.BootEpoch);
    }

    [Fact]
    public void RawSixteenByteKeyFile_IsAccepted()
    {
        using var folder = new TempFolder();
        folder.Write("src/a.txt", "a");
        byte[] raw = Enumerable.Range(0xF0, 16).Select(i => (byte)i).ToArray();
        string key = folder.Write("cluster.bin", raw);
        SdImageHarness.RunOk("build", "--board-id", "2", "--cluster-key-file", key, "--out", folder.PathOf("x.img"), folder.PathOf("src"));
        Assert.Equal(raw, Load(folder.PathOf("x.img")).ClusterKey);
    }

    [Fact]
    public void WithoutClusterOptions_TheBoardDefaultsStay_AndTheSummarySaysTheKeyIsZero()
    {
        using var folder = new TempFolder();
        folder.Write("src/a.txt", "a");
        var run = SdImageHarness.RunOk("build", "--board-id", "300", "--out", folder.PathOf("x.img"), folder.PathOf("src"));
        var c = Load(folder.PathOf("x.img"));
        Assert.Equal(new BoardConfig().ClusterId, c.ClusterId);
        Assert.Equal(new byte[16], c.ClusterKey);
        Assert.Equal(new byte[] { 0x02, 0xA7, 0xC9, 0x0B, 0x01, 0x2C }, c.Mac);
        Assert.Contains("cluster key all zero", run.Out);
        Assert.Contains("label \"atcp-board-300\"", run.Out);
    }

    [Fact]
    public void WithoutBoardId_NoSettingsObject()
    {
        using var folder = new TempFolder();
        folder.Write("src/a.txt", "a");
        SdImageHarness.RunOk("build", "--out", folder.PathOf("x.img"), folder.PathOf("src"));
        using var mounted = SdImageHarness.Mount(folder.PathOf("x.img"));
        Assert.Equal(StoreStatus.NotFound, mounted.Store.Lookup(BoardSettings.ObjectName, new StoreObject()));
    }

    [Fact]
    public void Inspect_ShowsTheSettings_WithTheKeyMasked()
    {
        using var folder = new TempFolder();
        folder.Write("src/a.txt", "a");
        string key = folder.Write("k", "ffeeddccbbaa99887766554433221100");
        SdImageHarness.RunOk("build", "--board-id", "3", "--cluster-key-file", key, "--out", folder.PathOf("x.img"), folder.PathOf("src"));
        var run = SdImageHarness.RunOk("inspect", folder.PathOf("x.img"));
        Assert.Contains("settings    board-id=3", run.Out);
        Assert.Contains("settings    cluster-key=(set, fingerprint ", run.Out);
        Assert.DoesNotContain("ffeeddcc", run.Out);
    }
}
