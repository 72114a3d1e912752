using Microsoft.Win32.SafeHandles;

namespace Atcp.Emulation.SdCard;

/// <summary>The flash behind an emulated card: a byte array (tests), an image file, or a sparse
/// in-memory store (huge SDXC capacities). Offsets and lengths are in bytes; the model only ever
/// reads and writes whole 512-byte blocks.</summary>
public abstract class SdImage : IDisposable
{
    /// <summary>Size in bytes.</summary>
    public abstract long Length { get; }

    /// <summary>Copies bytes at offset into destination.</summary>
    public abstract void Read(long offset, Span<byte> destination);

    /// <summary>Stores source at offset. A file image may keep it in memory until Flush.</summary>
    public abstract void Write(long offset, ReadOnlySpan<byte> source);

    /// <summary>Persists pending writes (file images); no-op otherwise.</summary>
    public virtual void Flush() { }

    /// <summary>Flushes and releases the backing file, if any.</summary>
    public virtual void Dispose() { GC.SuppressFinalize(this); }

    /// <summary>An image over the caller's array (not copied; tests inspect it directly).</summary>
    public static SdImage FromBytes(byte[] bytes) => new ByteArraySdImage(bytes);

    /// <summary>An image file opened for reading and writing. With writeThrough each committed
    /// block goes to the file at once; otherwise writes stay in memory until Flush or Dispose.</summary>
    public static SdImage OpenFile(string path, bool writeThrough) => new FileSdImage(path, writeThrough);

    /// <summary>An all-zero image of the given size that stores only blocks written.</summary>
    public static SdImage Sparse(long length) => new SparseSdImage(length);
}

sealed class ByteArraySdImage(byte[] bytes) : SdImage
{
    public override long Length => bytes.Length;
    public override void Read(long offset, Span<byte> destination) => bytes.AsSpan(checked((int)offset), destination.Length).CopyTo(destination);
    public override void Write(long offset, ReadOnlySpan<byte> source) => source.CopyTo(bytes.AsSpan(checked((int)offset)));
}

sealed class SparseSdImage(long length) : SdImage
{
    const int Chunk = 512;
    readonly Dictionary<long, byte[]> _chunks = new();

    public override long Length => length;

    public override void Read(long offset, Span<byte> destination)
    {
        while (destination.Length > 0)
        {
            long index = offset / Chunk;
            int within = (int)(offset % Chunk);
            int n = Math.Min(Chunk - within, destination.Length);
            if (_chunks.TryGetValue(index, out var chunk)) chunk.AsSpan(within, n).CopyTo(destination);
            else destination[..n].Clear();
            destination = destination[n..];
            offset += n;
        }
    }

    public override void Write(long offset, ReadOnlySpan<byte> source)
    {
        while (source.Length > 0)
        {
            long index = offset / Chunk;
            int within = (int)(offset % Chunk);
            int n = Math.Min(Chunk - within, source.Length);
            if (!_chunks.TryGetValue(index, out var chunk)) _chunks[index] = chunk = new byte[Chunk];
            source[..n].CopyTo(chunk.AsSpan(within));
            source = source[n..];
            offset += n;
        }
    }
}

sealed class FileSdImage : SdImage
{
    const int Chunk = 512;
    readonly SafeFileHandle _handle;
    readonly bool _writeThrough;
    readonly long _length;
    // Written blocks not yet in the file (only without write-through), by block index.
    readonly Dictionary<long, byte[]> _dirty = new();

    public FileSdImage(string path, bool writeThrough)
    {
        _handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, FileOptions.RandomAccess);
        _length = RandomAccess.GetLength(_handle);
        _writeThrough = writeThrough;
    }

    public override long Length => _length;

    public override void Read(long offset, Span<byte> destination)
    {
        if (_dirty.Count > 0 && offset % Chunk == 0 && destination.Length == Chunk && _dirty.TryGetValue(offset / Chunk, out var pending))
        {
            pending.CopyTo(destination);
            return;
        }
        int done = 0;
        while (done < destination.Length)
        {
            int n = RandomAccess.Read(_handle, destination[done..], offset + done);
            if (n <= 0) { destination[done..].Clear(); break; }
            done += n;
        }
    }

    public override void Write(long offset, ReadOnlySpan<byte> source)
    {
        if (_writeThrough || offset % Chunk != 0 || source.Length != Chunk)
        {
            RandomAccess.Write(_handle, source, offset);
            return;
        }
        long index = offset / Chunk;
        if (!_dirty.TryGetValue(index, out var block)) _dirty[index] = block = new byte[Chunk];
        source.CopyTo(block);
    }

    public override void Flush()
    {
        foreach (var (index, block) in _dirty) RandomAccess.Write(_handle, block, index * Chunk);
        _dirty.Clear();
        RandomAccess.FlushToDisk(_handle);
    }

    public override void Dispose()
    {
        if (!_handle.IsClosed)
        {
            Flush();
            _handle.Dispose();
        }
        base.Dispose();
    }
}
