namespace Atcp.Wire.Tests.Atcp;

/// <summary>Hex text to bytes for golden vectors: whitespace ignored, '#' starts a comment to the
/// end of the line (so vectors can label each field).</summary>
static class AtcpHex
{
    public static byte[] Parse(string text)
    {
        var digits = new System.Text.StringBuilder();
        foreach (var line in text.Split('\n'))
        {
            var hash = line.IndexOf('#');
            var data = hash >= 0 ? line[..hash] : line;
            foreach (var c in data) if (!char.IsWhiteSpace(c)) digits.Append(c);
        }
        return Convert.FromHexString(digits.ToString());
    }

    public static string Format(byte[] bytes, int offset, int length)
    {
        return Convert.ToHexString(bytes, offset, length).ToLowerInvariant();
    }
}
