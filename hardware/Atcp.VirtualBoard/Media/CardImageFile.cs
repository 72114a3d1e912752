using Atcp.Emulation.SdCard;
using Microsoft.Win32.SafeHandles;

namespace Atcp.VirtualBoard.Media;

/// <summary>An image file as the contents of an SD card at least as large as the file: the card's
/// size is the file's rounded up to whole 512 KiB units (the granularity of a high capacity card's
/// CSD 2.0 C_SIZE, SD Physical Layer Simplified Specification v4.10 §5.3.3), and the bytes past the
/// end of the file read as zeros. This is what writing the image to a card with dd gives: an .iso
/// or an SD image of any length is reachable whole. Writable images are written through to the
/// file at once (a killed process loses nothing the card acknowledged; the OS flushes later) and
/// flushed to the disk on <see cref="Flush"/> and <see cref="Dispose"/>; a writable file is locked
/// against a second board opening it.</summary>
public sealed class CardImageFile : SdImage
{
    /// <summary>Card sizes are whole multiples of this (512 KiB).</summary>
    public const long CardUnit = 512 * 1024;

    readonly SafeFileHandle _handle;
    long _fileLength;
    bool _dirty;

    CardImageFile(SafeFileHandle handle, string path, bool writable)
    {
        _handle = handle;
        Path = path;
        Writable = writable;
        _fileLength = RandomAccess.GetLength(handle);
        long units = (_fileLength + CardUnit - 1) / CardUnit;
        Length = (units < 1 ? 1 : units) * CardUnit;
    }

    /// <summary>Opens path for reading (a CD) or reading and writing (the disk). Throws the usual
    /// file exceptions (missing, no permission, locked by another board).</summary>
    public static CardImageFile Open(string path, bool writable)
    {
        var handle = File.OpenHandle(path, FileMode.Open,
            writable ? FileAccess.ReadWrite : FileAccess.Read,
            writable ? FileShare.None : FileShare.Read);
        return new CardImageFile(handle, path, writable);
    }

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>True when writes reach the file.</summary>
    public bool Writable { get; }

    /// <summary>The file's length in bytes (the card may be larger).</summary>
    public long FileLength => _fileLength;

    /// <summary>The card's size in bytes.</summary>
    public override long Length { get; }

    /// <inheritdoc/>
    public override void Read(long offset, Span<byte> destination)
    {
        int fromFile = (int)Math.Clamp(_fileLength - offset, 0, destination.Length);
        int done = 0;
        while (done < fromFile)
        {
            int n = RandomAccess.Read(_handle, destination[done..fromFile], offset + done);
            if (n <= 0) break; // the file shrank under us: the rest reads as erased
            done += n;
        }
        destination[done..].Clear();
    }

    /// <inheritdoc/>
    public override void Write(long offset, ReadOnlySpan<byte> source)
    {
        if (!Writable) throw new InvalidOperationException("the image " + Path + " is read-only");
        RandomAccess.Write(_handle, source, offset);
        if (offset + source.Length > _fileLength) _fileLength = offset + source.Length;
        _dirty = true;
    }

    /// <summary>Pushes written blocks to the disk.</summary>
    public override void Flush()
    {
        if (!_dirty || _handle.IsClosed) return;
        RandomAccess.FlushToDisk(_handle);
        _dirty = false;
    }

    /// <summary>Flushes and closes the file.</summary>
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
