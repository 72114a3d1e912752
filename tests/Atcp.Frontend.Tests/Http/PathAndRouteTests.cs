using Atcp.Frontend.Http;

namespace Atcp.Frontend.Tests.Http;

/// <summary>Path decoding, dot-segment removal and the URL scheme.</summary>
public class PathAndRouteTests
{
    [Theory]
    [InlineData("/", "/")]
    [InlineData("/a", "/a")]
    [InlineData("/a/", "/a/")]
    [InlineData("//a///b//", "/a/b/")]
    [InlineData("/a/./b", "/a/b")]
    [InlineData("/a/.", "/a/")]
    [InlineData("/a/b/..", "/a/")]
    [InlineData("/a/b/../c", "/a/c")]
    [InlineData("/a/%2e/b", "/a/b")]
    [InlineData("/a/%2E%2e/b", "/b")]
    [InlineData("/a/..", "/")]
    [InlineData("/.", "/")]
    [InlineData("/...", "/...")]
    [InlineData("/..a", "/..a")]
    [InlineData("/a%20b", "/a b")]
    [InlineData("/caf%C3%A9", "/caf\u00e9")]
    [InlineData("/%E2%82%AC", "/\u20ac")]
    [InlineData("/%F0%9F%98%80", "/\U0001F600")]
    [InlineData("/a:b@c!$&'()*+,;=", "/a:b@c!$&'()*+,;=")]
    public void Normalize_GivesCanonicalPath(string raw, string expected)
    {
        Assert.Equal(0, HttpPath.TryNormalize(raw, out NormalizedPath path, out string detail));
        Assert.True(expected == path.ToString(), detail);
    }

    [Theory]
    [InlineData("/..")]
    [InlineData("/../a")]
    [InlineData("/a/../..")]
    [InlineData("/%2e%2e")]
    [InlineData("/a/%2e%2e/%2e%2e/b")]
    [InlineData("/a%2fb")]
    [InlineData("/a%5Cb")]
    [InlineData("/a%00")]
    [InlineData("/a%1f")]
    [InlineData("/a%7F")]
    [InlineData("/a%")]
    [InlineData("/a%a")]
    [InlineData("/a%g0")]
    [InlineData("/%FF")]
    [InlineData("/%C3")]
    [InlineData("/%E0%80%80")]
    [InlineData("/%F4%90%80%80")]
    [InlineData("a/b")]
    [InlineData("")]
    public void Normalize_RefusesWith400(string raw)
    {
        Assert.Equal(400, HttpPath.TryNormalize(raw, out _, out string detail));
        Assert.NotEmpty(detail);
    }

    [Fact]
    public void ToUriPath_EncodesWhatNeedsEncoding()
    {
        var path = new NormalizedPath(["a b", "caf\u00e9", "x?y#z%"], false);
        Assert.Equal("/a%20b/caf%C3%A9/x%3Fy%23z%25", path.ToUriPath());
    }

    [Fact]
    public void ToUriPath_RoundTripsThroughNormalize()
    {
        var original = new NormalizedPath(["dir \"q\"", "<x>&y", "\u00fcber"], true);
        Assert.Equal(0, HttpPath.TryNormalize(original.ToUriPath(), out NormalizedPath back, out _));
        Assert.Equal(original.Segments, back.Segments);
        Assert.True(back.IsDirectory);
    }

    static Route Map(string raw, HttpRouteOptions? options = null)
    {
        Assert.Equal(0, HttpPath.TryNormalize(raw, out NormalizedPath path, out _));
        return new HttpRouter(options).Map(path);
    }

    [Theory]
    [InlineData("/hello.txt", ObjectStore.Disk, "", "hello.txt")]
    [InlineData("/objects/hello.txt", ObjectStore.Disk, "", "hello.txt")]
    [InlineData("/objects/a/b/c", ObjectStore.Disk, "", "a/b/c")]
    [InlineData("/a/b", ObjectStore.Disk, "", "a/b")]
    [InlineData("/", ObjectStore.Disk, "", "")]
    [InlineData("/objects/", ObjectStore.Disk, "", "")]
    [InlineData("/cd/VOL1/", ObjectStore.Cd, "VOL1", "")]
    [InlineData("/cd/VOL1/DOCS/README.TXT", ObjectStore.Cd, "VOL1", "DOCS/README.TXT")]
    [InlineData("/cd/VOL1/DOCS/../README.TXT", ObjectStore.Cd, "VOL1", "README.TXT")]
    public void DefaultScheme_MapsToStoreLocations(string raw, ObjectStore store, string volume, string name)
    {
        Route route = Map(raw);
        Assert.Equal(RouteKind.Store, route.Kind);
        Assert.Equal(new ObjectLocation(store, volume, name), route.Location);
    }

    [Fact]
    public void CdPrefixAlone_IsTheVolumeList()
    {
        Assert.Equal(RouteKind.VolumeList, Map("/cd/").Kind);
        Assert.Equal(RouteKind.VolumeList, Map("/cd").Kind);
    }

    [Fact]
    public void DotDotOutOfAVolume_LeavesTheCdPrefix()
    {
        // "/cd/VOL1/.." is "/cd/": normalisation happens before mapping, so a volume cannot be escaped into another.
        Assert.Equal(RouteKind.VolumeList, Map("/cd/VOL1/..").Kind);
    }

    [Fact]
    public void RootNotServingDisk_GivesIndexAndNotFound()
    {
        var options = new HttpRouteOptions { RootServesDisk = false };
        Assert.Equal(RouteKind.Index, Map("/", options).Kind);
        Assert.Equal(RouteKind.NotFound, Map("/hello.txt", options).Kind);
        Assert.Equal(ObjectLocation.OnDisk("hello.txt"), Map("/objects/hello.txt", options).Location);
    }

    [Fact]
    public void CustomPrefixes_AreUsed()
    {
        var options = new HttpRouteOptions { DiskPrefix = "d", CdPrefix = "iso" };
        Assert.Equal(ObjectLocation.OnCd("V", "f"), Map("/iso/V/f", options).Location);
        Assert.Equal(ObjectLocation.OnDisk("f"), Map("/d/f", options).Location);
        Assert.Equal(ObjectLocation.OnDisk("cd/V/f"), Map("/cd/V/f", options).Location);
    }

    [Fact]
    public void NoCdPrefix_MapsCdPathsToDisk()
    {
        var options = new HttpRouteOptions { CdPrefix = null };
        Assert.Equal(ObjectLocation.OnDisk("cd/x"), Map("/cd/x", options).Location);
    }
}
