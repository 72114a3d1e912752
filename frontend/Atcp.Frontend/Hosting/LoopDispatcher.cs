using System.Collections.Concurrent;

namespace Atcp.Frontend.Hosting;

/// <summary>Runs work on the engine thread: management requests arrive on Kestrel's threads and
/// are queued here; the loop runs them between frame batches, so the engine is only ever touched by
/// its own thread and needs no locks.</summary>
public sealed class LoopDispatcher
{
    readonly ConcurrentQueue<WorkItem> _queue = new();
    readonly Action _wake;
    volatile bool _closed;

    /// <summary>wake interrupts the loop's wait for frames.</summary>
    public LoopDispatcher(Action wake) => _wake = wake;

    /// <summary>Runs func on the engine thread and returns its result. Fails with TimeoutException
    /// when the loop does not get to it within timeout (a stuck engine), and with
    /// InvalidOperationException when the loop has stopped.</summary>
    public Task<T> InvokeAsync<T>(Func<T> func, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (_closed) return Task.FromException<T>(Stopped());
        var item = new WorkItem<T>(func);
        _queue.Enqueue(item);
        _wake();
        if (_closed) FailPending(); // raced with Close: fail the item rather than leave it waiting
        return item.Completion.Task.WaitAsync(timeout, cancellationToken);
    }

    /// <summary>Runs the queued work; called by the loop on the engine thread.</summary>
    internal int RunPending()
    {
        int count = 0;
        while (_queue.TryDequeue(out var item))
        {
            item.Run();
            count++;
        }
        return count;
    }

    /// <summary>Refuses new work and fails what is still queued.</summary>
    internal void Close()
    {
        _closed = true;
        FailPending();
    }

    void FailPending()
    {
        while (_queue.TryDequeue(out var item)) item.Fail(Stopped());
    }

    static InvalidOperationException Stopped() => new("the engine loop is not running");

    abstract class WorkItem
    {
        public abstract void Run();
        public abstract void Fail(Exception e);
    }

    sealed class WorkItem<T>(Func<T> func) : WorkItem
    {
        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Run()
        {
            try
            {
                Completion.TrySetResult(func());
            }
            catch (Exception e)
            {
                Completion.TrySetException(e);
            }
        }

        public override void Fail(Exception e) => Completion.TrySetException(e);
    }
}
