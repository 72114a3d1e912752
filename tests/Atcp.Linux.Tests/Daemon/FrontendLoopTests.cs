using System.Diagnostics;
using Atcp.Frontend.Engine;
using Atcp.Frontend.Hosting;
using Atcp.Linux.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Atcp.Linux.Tests.Daemon;

/// <summary>The engine loop with the echo engine, over a veth pair: frames in, engine, frames out
/// in batches; timers on time; management calls on the engine thread.</summary>
public sealed class FrontendLoopTests : IDisposable
{
    readonly VethLink _link = new();
    readonly PacketSocket _service;
    readonly PacketSocket _peer;
    readonly PacketSocketSink _sink;
    readonly Stopwatch _clock = Stopwatch.StartNew();

    public FrontendLoopTests()
    {
        _service = _link.OpenLeft();
        _peer = _link.OpenRight(new PacketSocketOptions { RxRingBytes = 16 << 20 });
        _sink = new PacketSocketSink(_service);
    }

    public void Dispose()
    {
        _service.Dispose();
        _peer.Dispose();
        _link.Dispose();
    }

    long Now() => _clock.ElapsedMilliseconds;

    (EchoEngine Engine, FrontendLoop Loop, Thread Thread, Func<Exception?> Failure) Start(int periodMs = 0, int batchMicroseconds = 0,
        int maxBatchMicroseconds = -1, long tolerableAckWaitUs = 0)
    {
        var engine = new EchoEngine(new EngineContext(TestSettings.Make(), _service.MacAddress, _service.Mtu, _sink,
            TestSettings.Key, NullLoggerFactory.Instance, Now()), periodMs) { TolerableAckWaitUs = tolerableAckWaitUs };
        var loop = new FrontendLoop(_service, engine, Now, NullLogger.Instance, batchMicroseconds: batchMicroseconds,
            maxBatchMicroseconds: maxBatchMicroseconds);
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try { loop.Run(); }
            catch (Exception e) { failure = e; }
        }) { IsBackground = true };
        thread.Start();
        return (engine, loop, thread, () => failure);
    }

    [Fact]
    public void Loop_EchoesABurstOf5000Frames_InOrder_ByteExactBarTheMacs()
    {
        var (engine, loop, thread, failure) = Start();
        byte[] peerMac = _peer.MacAddress, serviceMac = _service.MacAddress;

        var batch = new FrameBatch(50);
        for (uint i = 0; i < 5000; i += 50)
        {
            batch.Clear();
            for (uint j = i; j < i + 50; j++) batch.Add(Frames.Make(serviceMac, peerMac, j, 60 + (int)(j % 1400)));
            while (batch.Count > 0)
            {
                batch.RemoveFirst(_peer.TransmitBatch(batch));
                if (batch.Count > 0) Thread.Yield();
            }
        }
        var echoes = Collect.TestFrames(_peer, 5000, 10_000);
        loop.Stop();
        thread.Join();

        Assert.Null(failure());
        Assert.Equal(5000, echoes.Count);
        for (int i = 0; i < echoes.Count; i++)
            Assert.Equal(Frames.Make(peerMac, serviceMac, (uint)i, 60 + i % 1400), echoes[i]);
        Assert.Equal(5000, loop.FramesHandled);
        Assert.True(_service.Counters.SendBatches < 5000, "output should leave in sendmmsg batches");
        Assert.Single(engine.Threads);
    }

    [Fact]
    public void Loop_RunsTimersWhenDue_NeverEarly()
    {
        var (engine, loop, thread, _) = Start(periodMs: 20);

        var heartbeats = Collect.Frames(_peer, 10, 3000, f => Frames.IsTest(f) && Frames.Sequence(f) == EchoEngine.HeartbeatSequence);
        var elapsed = _clock.ElapsedMilliseconds;
        loop.Stop();
        thread.Join();

        Assert.Equal(10, heartbeats.Count);
        Assert.InRange(elapsed, 150, 2000); // ten periods of 20 ms, not early and not stuck behind a 1 s wait
        Assert.Equal(0, engine.EarlyTimers);
        Assert.True(loop.TimerRuns >= 10);
    }

    [Fact]
    public async Task Dispatcher_RunsManagementCallsOnTheEngineThread()
    {
        var (engine, loop, thread, _) = Start(periodMs: 10);
        Collect.Frames(_peer, 1, 2000, f => Frames.IsTest(f)); // the engine thread has run a timer

        var status = await loop.Dispatcher.InvokeAsync(() => engine.GetStatus(Now()), TimeSpan.FromSeconds(2));
        var outcome = await loop.Dispatcher.InvokeAsync(() => engine.Drain(1, Now()), TimeSpan.FromSeconds(2));
        loop.Stop();
        thread.Join();

        Assert.Equal("echoing", status.State);
        Assert.Equal(Atcp.Frontend.Management.DrainOutcome.Changed, outcome);
        Assert.Single(engine.Threads);
    }

    [Fact]
    public async Task Dispatcher_AfterTheLoopStopped_FailsAtOnce()
    {
        var (_, loop, thread, _) = Start();
        loop.Stop();
        thread.Join();

        await Assert.ThrowsAsync<InvalidOperationException>(() => loop.Dispatcher.InvokeAsync(() => 1, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Batching_FramesArrivingDuringThePause_AreHandledInOneRound()
    {
        var (_, loop, thread, failure) = Start(batchMicroseconds: 200_000);
        byte[] peerMac = _peer.MacAddress, serviceMac = _service.MacAddress;

        // The first frame after a quiet spell is handled at once...
        var clock = Stopwatch.StartNew();
        Assert.True(_peer.Transmit(Frames.Make(serviceMac, peerMac, 0, 60)));
        Assert.Single(Collect.TestFrames(_peer, 1, 3000));
        Assert.True(clock.ElapsedMilliseconds < 150, "the first frame waited " + clock.ElapsedMilliseconds + " ms");
        // ...then the loop pauses: frames sent one by one meanwhile wait in the ring and go together.
        long rounds = loop.Iterations;
        for (uint i = 1; i <= 10; i++) Assert.True(_peer.Transmit(Frames.Make(serviceMac, peerMac, i, 60)));
        var echoes = Collect.TestFrames(_peer, 10, 3000);
        loop.Stop();
        thread.Join();

        Assert.Null(failure());
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (uint)i), echoes.Select(f => Frames.Sequence(f)));
        Assert.InRange(loop.Iterations - rounds, 1, 3);
        Assert.True(loop.Pauses >= 1);
    }

    [Fact]
    public void Batching_MoreFramesThanABatchWaitingAfterAPause_AreHandledInOneRound()
    {
        var (_, loop, thread, failure) = Start(batchMicroseconds: 300_000);
        byte[] peerMac = _peer.MacAddress, serviceMac = _service.MacAddress;
        Assert.True(_peer.Transmit(Frames.Make(serviceMac, peerMac, 0, 60)));
        Assert.Single(Collect.TestFrames(_peer, 1, 3000));
        // During the pause, five batches' worth collects in the ring: one round takes them all, so
        // the engine's timers and output run once for them (its relays are merged per round).
        long rounds = loop.Iterations;
        const int count = 5 * 64;
        for (uint i = 1; i <= count; i++) Assert.True(_peer.Transmit(Frames.Make(serviceMac, peerMac, i, 60)));
        var echoes = Collect.TestFrames(_peer, count, 5000);
        loop.Stop();
        thread.Join();

        Assert.Null(failure());
        Assert.Equal(Enumerable.Range(1, count).Select(i => (uint)i), echoes.Select(f => Frames.Sequence(f)));
        Assert.InRange(loop.Iterations - rounds, 1, 3);
    }

    // Sends 200 pure ACKs 1 ms apart and returns (rounds, elapsed ms) once all were handled.
    (long Rounds, long ElapsedMs) SteadyAckStream(FrontendLoop loop, Thread thread, Func<Exception?> failure)
    {
        var ack = TcpFrames.Make(_service.MacAddress, _peer.MacAddress, 0x10, 0);
        long rounds = loop.Iterations;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 200; i++)
        {
            Assert.True(_peer.Transmit(ack));
            Thread.Sleep(1);
        }
        while (loop.FramesHandled < 200 && clock.ElapsedMilliseconds < 5000) Thread.Sleep(5);
        long elapsed = clock.ElapsedMilliseconds;
        loop.Stop();
        thread.Join();
        Assert.Null(failure());
        Assert.Equal(200, loop.FramesHandled);
        return (loop.Iterations - rounds, elapsed);
    }

    [Fact]
    public void Batching_EngineToleratesLongWaits_WhenRequestsEndPauses_PauseFollowsItToTheMax()
    {
        _service.WatchRequestsDuringPause();
        var (_, loop, thread, failure) = Start(batchMicroseconds: 2_000, maxBatchMicroseconds: 16_000, tolerableAckWaitUs: 1_000_000);

        var (rounds, elapsed) = SteadyAckStream(loop, thread, failure);

        // A fixed 2 ms pause would take elapsed / 2 rounds; 16 ms, about elapsed / 16.
        Assert.True(rounds < elapsed / 6 + 5, rounds + " rounds in " + elapsed + " ms");
    }

    [Fact]
    public void Batching_EngineWantsAcksAtOnce_PauseStaysAtTheFloor()
    {
        _service.WatchRequestsDuringPause();
        var (_, loop, thread, failure) = Start(batchMicroseconds: 2_000, maxBatchMicroseconds: 16_000, tolerableAckWaitUs: 0);

        var (rounds, elapsed) = SteadyAckStream(loop, thread, failure);

        // 2 ms pauses: about elapsed / 2 rounds (a slow machine oversleeps, hence the margin).
        Assert.True(rounds > elapsed / 5, rounds + " rounds in " + elapsed + " ms");
    }

    [Fact]
    public void Batching_EngineWantsNoPause_EveryFrameIsHandledAsItComes()
    {
        _service.WatchRequestsDuringPause();
        var (_, loop, thread, failure) = Start(batchMicroseconds: 2_000, maxBatchMicroseconds: 16_000, tolerableAckWaitUs: -1);

        var (rounds, elapsed) = SteadyAckStream(loop, thread, failure);

        // Every ACK (1 ms apart) is handled as it comes (TFTP runs so: its boards' answers matter).
        Assert.Equal(0, loop.Pauses);
        Assert.True(rounds > elapsed / 2, rounds + " rounds in " + elapsed + " ms");
    }

    [Fact]
    public void Batching_NoRequestWatch_PauseNeverGrows_EvenWhenTheEngineWouldWait()
    {
        var (_, loop, thread, failure) = Start(batchMicroseconds: 2_000, maxBatchMicroseconds: 16_000, tolerableAckWaitUs: 1_000_000);

        var (rounds, elapsed) = SteadyAckStream(loop, thread, failure);

        Assert.True(rounds > elapsed / 5, rounds + " rounds in " + elapsed + " ms");
    }

    [Fact]
    public void Batching_RequestDuringALongPause_IsHandledAtOnce()
    {
        _service.WatchRequestsDuringPause();
        var (_, loop, thread, failure) = Start(batchMicroseconds: 100_000, maxBatchMicroseconds: 1_600_000, tolerableAckWaitUs: long.MaxValue);
        var ack = TcpFrames.Make(_service.MacAddress, _peer.MacAddress, 0x10, 0);
        // An ACK every 50 ms: every round has frames, and the engine lets the pause reach 1.6 s.
        for (int i = 0; i < 12; i++)
        {
            Assert.True(_peer.Transmit(ack));
            Thread.Sleep(50);
        }

        var clock = Stopwatch.StartNew();
        Assert.True(_peer.Transmit(Frames.Make(_service.MacAddress, _peer.MacAddress, 7, 60)));
        var echo = Collect.TestFrames(_peer, 1, 3000);
        long waited = clock.ElapsedMilliseconds;
        loop.Stop();
        thread.Join();

        Assert.Null(failure());
        Assert.Single(echo);
        Assert.True(waited < 400, "the request waited " + waited + " ms");
        Assert.True(_service.RequestWakes >= 1);
    }

    // A board's SERVICE_ACK: not a request, but the engine awaits it from an idle board.
    byte[] ServiceAck()
    {
        var f = new byte[80];
        _service.MacAddress.CopyTo(f, 0);
        _peer.MacAddress.CopyTo(f, 6);
        f[12] = 0x88; f[13] = 0xB5;
        f[14] = 1;
        f[15] = 0x81;
        return f;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Batching_BoardsAnswerDuringALongPause_IsHandledAtOnceOnlyWhenAwaited(bool awaited)
    {
        _service.WatchRequestsDuringPause();
        var (engine, loop, thread, failure) = Start(batchMicroseconds: 100_000, maxBatchMicroseconds: 1_600_000, tolerableAckWaitUs: long.MaxValue);
        engine.PauseEndsOnBoardAnswer = awaited;
        var ack = TcpFrames.Make(_service.MacAddress, _peer.MacAddress, 0x10, 0);
        for (int i = 0; i < 12; i++)
        {
            Assert.True(_peer.Transmit(ack));
            Thread.Sleep(50);
        }
        Thread.Sleep(100); // into a pause of 1.6 s
        long before = loop.FramesHandled;

        var clock = Stopwatch.StartNew();
        Assert.True(_peer.Transmit(ServiceAck()));
        while (loop.FramesHandled == before && clock.ElapsedMilliseconds < 3000) Thread.Sleep(5);
        long waited = clock.ElapsedMilliseconds;
        loop.Stop();
        thread.Join();

        Assert.Null(failure());
        if (awaited) Assert.True(waited < 400, "the awaited answer waited " + waited + " ms");
        else Assert.True(waited >= 400, "an answer nobody awaited ended the pause after " + waited + " ms");
    }

    [Fact]
    public void Batching_Stop_DuringAPause_EndsTheLoopPromptly()
    {
        var (_, loop, thread, _) = Start(batchMicroseconds: 5_000_000);
        Assert.True(_peer.Transmit(Frames.Make(_service.MacAddress, _peer.MacAddress, 0, 60)));
        Assert.Single(Collect.TestFrames(_peer, 1, 3000));
        var clock = Stopwatch.StartNew();

        loop.Stop();

        Assert.True(thread.Join(3000));
        Assert.True(clock.ElapsedMilliseconds < 1000, "Stop should end the pause");
    }

    [Fact]
    public void Stop_WhileIdleWithNoDeadline_EndsTheLoopPromptly()
    {
        var (_, loop, thread, _) = Start();
        Thread.Sleep(50);
        var clock = Stopwatch.StartNew();

        loop.Stop();

        Assert.True(thread.Join(2000));
        Assert.True(clock.ElapsedMilliseconds < 900, "Stop should wake the poll, not wait out its 1 s cap");
    }

    [Fact]
    public void EngineException_EndsTheLoop_AndPropagates()
    {
        var (engine, loop, thread, failure) = Start();
        engine.ThrowOnFrame = new InvalidDataException("engine bug");

        Assert.True(_peer.Transmit(Frames.Make(_service.MacAddress, _peer.MacAddress, 1, 60)));

        Assert.True(thread.Join(3000));
        Assert.Equal("engine bug", Assert.IsType<InvalidDataException>(failure()).Message);
    }
}
