using Atcp.Emulation.SdCard;

namespace Atcp.VirtualBoard.Media;

/// <summary>The two cards a board holds, made from files: the disk card (an image written by
/// tools/sdimage, read and written) and the CD card (an .iso, read-only and write-protected).
/// Both are high capacity cards (SDHC/SDXC): the only kind whose capacity steps (512 KiB) fit an
/// image of any size. Problems become <see cref="StartupException"/>s with the reason.</summary>
public static class CardImages
{
    /// <summary>The disk card over path, opened for reading and writing (the firmware persists its
    /// settings and boot epoch there) and locked against a second board.</summary>
    public static SdCardModel OpenDisk(string path) => Open(path, "disk", writable: true);

    /// <summary>The CD card over an .iso at path, read-only.</summary>
    public static SdCardModel OpenCd(string path) => Open(path, "CD", writable: false);

    static SdCardModel Open(string path, string what, bool writable)
    {
        CardImageFile image;
        try
        {
            image = CardImageFile.Open(path, writable);
        }
        catch (FileNotFoundException)
        {
            throw new StartupException("the " + what + " image " + path + " does not exist");
        }
        catch (DirectoryNotFoundException)
        {
            throw new StartupException("the " + what + " image " + path + " does not exist (no such directory)");
        }
        catch (UnauthorizedAccessException)
        {
            throw new StartupException("no permission to " + (writable ? "read and write" : "read") + " the " + what + " image " + path);
        }
        catch (IOException e)
        {
            throw new StartupException("cannot open the " + what + " image " + path + ": " + e.Message
                + (writable ? " (is another board using it?)" : ""), e);
        }
        try
        {
            return new SdCardModel(image, SdCardKind.HighCapacity) { WriteProtected = !writable };
        }
        catch (ArgumentException e)
        {
            image.Dispose();
            throw new StartupException("the " + what + " image " + path + " cannot be a card: " + e.Message, e);
        }
    }
}
