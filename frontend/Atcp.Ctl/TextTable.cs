using System.Text;

namespace Atcp.Ctl;

/// <summary>A plain-text table: a header row and aligned columns separated by two spaces; numbers
/// right-aligned.</summary>
public sealed class TextTable(params string[] headers)
{
    readonly List<string[]> _rows = [];
    readonly bool[] _rightAligned = new bool[headers.Length];

    /// <summary>Right-aligns a column (for numbers).</summary>
    public TextTable AlignRight(params int[] columns)
    {
        foreach (int c in columns) _rightAligned[c] = true;
        return this;
    }

    /// <summary>Adds a row (one cell per header).</summary>
    public void Add(params string[] cells)
    {
        if (cells.Length != headers.Length) throw new ArgumentException("expected " + headers.Length + " cells", nameof(cells));
        _rows.Add(cells);
    }

    /// <summary>The table as text, one line per row, trailing spaces trimmed.</summary>
    public override string ToString()
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        var b = new StringBuilder();
        void Line(string[] cells)
        {
            var line = new StringBuilder();
            for (int i = 0; i < cells.Length; i++)
            {
                if (i > 0) line.Append("  ");
                line.Append(_rightAligned[i] ? cells[i].PadLeft(widths[i]) : cells[i].PadRight(widths[i]));
            }
            b.Append(line.ToString().TrimEnd()).Append('\n');
        }
        Line(headers);
        foreach (var row in _rows) Line(row);
        return b.ToString();
    }
}
