namespace Atcp.EndToEnd.Tests.Support;

/// <summary>A testbed for a test collection: takes the machine-wide session lock (one testbed per
/// machine, whoever runs it), brings the testbed up with <see cref="UpOptions"/>, and takes it
/// down at the end. Subclass it with other options (say, the full cluster with content) for other
/// collections.</summary>
public abstract class TestbedFixture : IDisposable
{
    /// <summary>Held for the fixture's life; tools/testbed itself locks another file per command.</summary>
    public const string SessionLockPath = "/run/atcp-testbed.session.lock";

    readonly FileStream _sessionLock;

    /// <summary>Locks, then runs tools/testbed up with the fixture's options (fails the collection if
    /// that fails).</summary>
    protected TestbedFixture()
    {
        if (System.Environment.UserName != "root" && System.Environment.GetEnvironmentVariable("USER") != "root")
            throw new InvalidOperationException("end-to-end tests build network namespaces: run them as root (CI does)");
        _sessionLock = TakeSessionLock(TimeSpan.FromMinutes(10));
        try
        {
            Prepare();
            Restore();
        }
        catch
        {
            Testbed.Down();
            Cleanup();
            _sessionLock.Dispose();
            throw;
        }
    }

    /// <summary>Runs once, with the session lock held, before the first up: make content, install
    /// tools. <see cref="UpOptions"/> is read after it.</summary>
    protected virtual void Prepare()
    {
    }

    /// <summary>Runs once after the last down (or a failed start): delete what Prepare made.</summary>
    protected virtual void Cleanup()
    {
    }

    /// <summary>The driver.</summary>
    public Testbed Testbed { get; } = new();

    /// <summary>The options the collection's tests expect to find the testbed in.</summary>
    public abstract IReadOnlyList<string> UpOptions { get; }

    /// <summary>Brings the testbed (back) to <see cref="UpOptions"/>.</summary>
    public void Restore() => Testbed.Up([.. UpOptions]).EnsureSuccess();

    /// <summary>Runs up with the fixture's options plus extra ones (later ones win) and returns a
    /// handle that restores the fixture's options when disposed.</summary>
    public IDisposable With(params string[] extra)
    {
        Testbed.Up([.. UpOptions, .. extra]).EnsureSuccess();
        return new Restorer(this);
    }

    /// <summary>Takes the testbed down and releases the lock.</summary>
    public void Dispose()
    {
        // ATCP_E2E_KEEP=1 leaves the testbed up and its content in place, for a look at logs and
        // files afterwards (tools/testbed down ends it; the content is in /tmp/atcp-e2e-*).
        bool keep = System.Environment.GetEnvironmentVariable("ATCP_E2E_KEEP") == "1";
        try
        {
            if (!keep) Testbed.Down();
        }
        finally
        {
            try { if (!keep) Cleanup(); }
            finally { _sessionLock.Dispose(); }
        }
        GC.SuppressFinalize(this);
    }

    // FileShare.None takes an exclusive flock(2) on Linux; another test run waits here.
    static FileStream TakeSessionLock(TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            try
            {
                return new FileStream(SessionLockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(500);
            }
        }
    }

    sealed class Restorer(TestbedFixture fixture) : IDisposable
    {
        public void Dispose() => fixture.Restore();
    }
}

/// <summary>The network alone (no programs): two boards, no shaping, no loss.</summary>
public sealed class NetworkOnlyFixture : TestbedFixture
{
    /// <summary>tools/testbed up --no-services --boards 2.</summary>
    public override IReadOnlyList<string> UpOptions { get; } = ["--no-services", "--boards", "2"];
}

/// <summary>Tests that share the network-only testbed.</summary>
[CollectionDefinition(Name)]
public sealed class NetworkOnlyCollection : ICollectionFixture<NetworkOnlyFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "testbed network only";
}
