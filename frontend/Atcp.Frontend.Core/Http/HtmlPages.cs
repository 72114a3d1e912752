using System.Text;

namespace Atcp.Frontend.Http;

/// <summary>The small HTML bodies the front-end sends itself: error pages and directory listings.</summary>
public static class HtmlPages
{
    /// <summary>The media type of both pages.</summary>
    public const string ContentType = "text/html; charset=utf-8";

    /// <summary>An error page naming only the status (never echoing request data).</summary>
    public static byte[] Error(int status)
    {
        string title = status + " " + HttpStatus.Reason(status);
        return Encoding.UTF8.GetBytes("<!DOCTYPE html>\n<html><head><title>" + title + "</title></head>\n<body><h1>" +
                                      title + "</h1></body></html>\n");
    }

    /// <summary>A listing of <paramref name="entries"/> at <paramref name="path"/>: names HTML-escaped,
    /// links percent-encoded and relative, directories with a trailing '/', a parent link except at the
    /// root, at most <paramref name="maxEntries"/> lines.</summary>
    public static byte[] Listing(NormalizedPath path, IReadOnlyList<DirectoryEntry> entries, int maxEntries)
    {
        string title = Escape("Index of " + path);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").Append(title)
          .Append("</title></head>\n<body><h1>").Append(title).Append("</h1><hr><pre>\n");
        if (path.Segments.Count > 0) sb.Append("<a href=\"../\">../</a>\n");
        int shown = 0;
        foreach (DirectoryEntry entry in entries)
        {
            if (shown++ == maxEntries) { sb.Append("(").Append(entries.Count - maxEntries).Append(" more not shown)\n"); break; }
            string suffix = entry.IsDirectory ? "/" : "";
            sb.Append("<a href=\"").Append(Escape(HttpPath.EncodeSegment(entry.Name) + suffix)).Append("\">")
              .Append(Escape(entry.Name + suffix)).Append("</a>");
            if (!entry.IsDirectory)
            {
                sb.Append(' ').Append(entry.Length);
                if (entry.LastModified is { } modified) sb.Append(' ').Append(Escape(HttpDate.Format(modified)));
            }
            sb.Append('\n');
        }
        sb.Append("</pre><hr></body></html>\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>Escapes text for HTML content and double- or single-quoted attributes.</summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            sb.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }
}
