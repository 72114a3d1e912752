using System.Globalization;

namespace Atcp.Frontend.Configuration;

/// <summary>Reads the 128-bit ATCP cluster key (firmware/Atcp.Wire/Atcp/SPEC.md section 3): a file
/// of exactly 16 bytes, or of 32 hexadecimal digits (spaces, colons and newlines ignored), e.g.
/// made with <c>head -c16 /dev/urandom | xxd -p &gt; cluster.key</c>.</summary>
public static class ClusterKeyFile
{
    /// <summary>Bytes in the key.</summary>
    public const int KeyLength = 16;

    /// <summary>Reads the key; returns null and a reason when the file is missing or malformed.</summary>
    public static byte[]? TryRead(string path, out string? error)
    {
        error = null;
        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            error = "cluster key file " + path + " does not exist (create it with: head -c16 /dev/urandom | xxd -p > " + path + ")";
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            error = "cluster key file " + path + " does not exist (its directory is missing)";
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            error = "cluster key file " + path + " is not readable by this user";
            return null;
        }
        if (content.Length == KeyLength) return content;
        var digits = new string(content.Select(b => (char)b).Where(c => !char.IsWhiteSpace(c) && c != ':').ToArray());
        if (digits.Length == 2 * KeyLength && digits.All(char.IsAsciiHexDigit))
            return Convert.FromHexString(digits);
        error = "cluster key file " + path + " must hold 16 bytes or 32 hex digits (it has " +
            content.Length.ToString(CultureInfo.InvariantCulture) + " bytes)";
        return null;
    }

    /// <summary>True when group or others may read the file (a warning: the key authenticates commands).</summary>
    public static bool IsReadableByOthers(string path)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            var mode = File.GetUnixFileMode(path);
            return (mode & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
