using Atcp.Frontend.Engine;
using Atcp.Linux;
using Microsoft.Extensions.Logging;

namespace Atcp.Frontend.Hosting;

/// <summary>The engine loop, run on one dedicated thread: wait for frames (poll with a timeout
/// bounded by the engine's next deadline), hand the batch to the engine, run its timers when due,
/// run management calls, flush its output batch. Stops when <see cref="Stop"/> is called.</summary>
public sealed class FrontendLoop
{
    /// <summary>Longest single wait, so a loop with no deadline still notices a stop request even
    /// if a wake-up were lost.</summary>
    public const int MaxWaitMs = 1000;

    readonly PacketSocket _socket;
    readonly IFrontendEngine _engine;
    readonly Func<long> _clock;
    readonly ILogger _logger;
    readonly FrameBatch _batch;
    readonly int _batchMicroseconds;
    readonly int _maxBatchMicroseconds;
    volatile bool _stopping;
    long _deadline = long.MinValue; // the engine's next deadline as of the end of the last round
    long _iterations, _timerRuns, _framesHandled, _pauses, _pauseMicroseconds;

    /// <summary>Creates the loop; clock returns milliseconds of a monotonic clock. After a round
    /// that handled frames the loop pauses at least batchMicroseconds (0: never) so that the next
    /// frames are handled together (see README, performance). When the socket's pauses end on
    /// requests (<see cref="PacketSocket.PauseEndsOnRequest"/>), the pause follows the engine's
    /// <see cref="IFrontendEngine.TolerableAckWaitUs"/> up to maxBatchMicroseconds (default:
    /// batchMicroseconds, a fixed pause); timers falling due meanwhile run at its end.</summary>
    public FrontendLoop(PacketSocket socket, IFrontendEngine engine, Func<long> clock, ILogger logger, int batchSize = 64,
        int batchMicroseconds = 0, int maxBatchMicroseconds = -1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batchMicroseconds);
        _batchMicroseconds = batchMicroseconds;
        _maxBatchMicroseconds = maxBatchMicroseconds < 0 ? batchMicroseconds : Math.Max(maxBatchMicroseconds, batchMicroseconds);
        _socket = socket;
        _engine = engine;
        _clock = clock;
        _logger = logger;
        _batch = new FrameBatch(batchSize, Math.Max(socket.MaxReceiveLength, 64));
        Dispatcher = new LoopDispatcher(socket.Wake);
    }

    /// <summary>Queues work onto the engine thread.</summary>
    public LoopDispatcher Dispatcher { get; }

    /// <summary>Rounds of the loop so far.</summary>
    public long Iterations => Volatile.Read(ref _iterations);

    /// <summary>OnTimer calls so far.</summary>
    public long TimerRuns => Volatile.Read(ref _timerRuns);

    /// <summary>Batching pauses so far.</summary>
    public long Pauses => Volatile.Read(ref _pauses);

    /// <summary>Lengths of the batching pauses so far as asked (microseconds; a request or Wake may end one early).</summary>
    public long PauseMicroseconds => Volatile.Read(ref _pauseMicroseconds);

    /// <summary>Frames handed to the engine so far.</summary>
    public long FramesHandled => Volatile.Read(ref _framesHandled);

    /// <summary>Asks the loop to end; safe from any thread.</summary>
    public void Stop()
    {
        _stopping = true;
        _socket.Wake();
    }

    /// <summary>Runs until <see cref="Stop"/>. Exceptions from the engine end the loop and propagate:
    /// the engine's state can no longer be trusted, so the daemon exits and systemd restarts it.</summary>
    public void Run()
    {
        try
        {
            while (!_stopping) RunOnce();
        }
        finally
        {
            Dispatcher.Close();
            FlushOutput();
        }
    }

    /// <summary>Most frames one round hands to the engine before it runs timers and sends.</summary>
    public const int MaxFramesPerRound = 1024;

    void RunOnce()
    {
        _iterations++;
        // The deadline from the end of the last round still holds unless management ran.
        if (Dispatcher.RunPending() > 0) _deadline = _engine.NextDeadlineMs;
        long now = _clock();
        long deadline = _deadline;
        int timeout;
        if (deadline <= now) timeout = 0;
        else timeout = (int)Math.Min(deadline - now, MaxWaitMs);
        // Frames the kernel had no room for wait in the queue: come back soon to retry them.
        if (_socket.PendingCount > 0) timeout = Math.Min(timeout, 1);

        // A round takes everything the ring holds, batch after batch, before the engine's timers and
        // the flush of its output: a long pause leaves hundreds of ACKs, and a round per batch would
        // split one stream's ACKs over several relays (bounded, so timers still run under a flood).
        int count = _socket.ReceiveBatch(_batch, timeout);
        int handled = 0;
        while (count > 0)
        {
            now = _clock();
            _engine.OnFrames(_batch, now);
            _framesHandled += count;
            handled += count;
            if (count < _batch.Capacity || handled >= MaxFramesPerRound) break;
            count = _socket.ReceiveBatch(_batch, 0);
        }
        now = _clock();
        _deadline = _engine.NextDeadlineMs;
        if (_deadline <= now)
        {
            _timerRuns++;
            _engine.OnTimer(now);
            _deadline = _engine.NextDeadlineMs;
        }
        FlushOutput();
        // Batching: after a round that handled frames, let the next ones collect in the ring for
        // a while instead of waking for each (a wake-up costs more than handling an ACK). The
        // first frame after a quiet spell is still handled at once (the wait above watches the
        // socket). Timers falling due meanwhile run at the end of the pause, at most
        // _batchMicroseconds late, together with the frames. No pause after a full batch (more
        // frames are waiting) or while sends wait for room; a management call (Wake) ends it early.
        int pause;
        if (handled > 0 && count < _batch.Capacity && _batchMicroseconds > 0 && _socket.PendingCount == 0 && (pause = PauseLength()) > 0)
        {
            _pauses++;
            _pauseMicroseconds += pause;
            _socket.Pause(pause, _socket.PauseEndsOnRequest && _engine.PauseEndsOnBoardAnswer);
        }
    }

    // The wake-ups a pause saves are most of the daemon's CPU, so it lasts as long as the engine says
    // client ACKs may wait unseen (IFrontendEngine.TolerableAckWaitUs: a fraction of each stream's
    // window at its rate; the floor while a stream recovers from a loss or its rate is unknown).
    // Longer than the floor only when a request ends it early: a SYN or GET never waits it out.
    // Timers falling due meanwhile (held-ACK flushes) run up to the pause late (100 ms at most),
    // against T = 40 ms and the boards' 200 ms minimum RTO. Bounding the pause by the next deadline
    // instead kept it near the floor (a held ACK is almost always pending).
    // No pause (0) for a negative tolerance (TFTP runs); a pause while an idle board's answer is
    // awaited ends on that answer (IFrontendEngine.PauseEndsOnBoardAnswer).
    int PauseLength()
    {
        if (!_socket.PauseEndsOnRequest) return _batchMicroseconds;
        long tolerable = _engine.TolerableAckWaitUs;
        if (tolerable < 0) return 0;
        if (_maxBatchMicroseconds <= _batchMicroseconds) return _batchMicroseconds;
        return (int)Math.Clamp(tolerable, _batchMicroseconds, _maxBatchMicroseconds);
    }

    void FlushOutput()
    {
        if (_socket.PendingCount == 0) return;
        try
        {
            _socket.Flush();
        }
        catch (ObjectDisposedException)
        {
        }
        catch (PacketSocketException e)
        {
            _logger.LogWarning("Sending frames on {Interface} failed: {Message}", _socket.InterfaceName, e.Message);
        }
    }
}
