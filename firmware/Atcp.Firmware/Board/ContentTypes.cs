namespace Atcp.Firmware.Board
{
    /// <summary>Content types for files that carry none (CD files), from their extension.</summary>
    public static class ContentTypes
    {
        static readonly string[] Extensions = new string[]
        {
            "html", "htm", "txt", "css", "js", "json", "xml", "svg", "png", "jpg", "jpeg", "gif", "webp", "ico",
            "mp4", "m4v", "webm", "mkv", "mp3", "ogg", "wav", "pdf", "zip", "gz", "tar", "iso", "img", "bin",
        };

        static readonly string[] Types = new string[]
        {
            "text/html", "text/html", "text/plain", "text/css", "text/javascript", "application/json", "application/xml",
            "image/svg+xml", "image/png", "image/jpeg", "image/jpeg", "image/gif", "image/webp", "image/x-icon",
            "video/mp4", "video/mp4", "video/webm", "video/x-matroska", "audio/mpeg", "audio/ogg", "audio/wav",
            "application/pdf", "application/zip", "application/gzip", "application/x-tar", "application/x-iso9660-image",
            "application/octet-stream", "application/octet-stream",
        };

        /// <summary>Writes the type for a UTF-8 file name into dest; returns its length, 0 when unknown
        /// (the front-end then says application/octet-stream).</summary>
        public static int For(byte[] name, int length, byte[] dest)
        {
            int dot = -1;
            for (int i = length - 1; i >= 0 && i >= length - 6; i--) if (name[i] == (byte)'.') { dot = i; break; }
            if (dot < 0) return 0;
            int extLength = length - dot - 1;
            for (int e = 0; e < Extensions.Length; e++)
            {
                string ext = Extensions[e];
                if (ext.Length != extLength) continue;
                bool same = true;
                for (int k = 0; k < extLength && same; k++)
                {
                    int c = name[dot + 1 + k];
                    if (c >= 'A' && c <= 'Z') c += 32;
                    same = c == ext[k];
                }
                if (!same) continue;
                string type = Types[e];
                for (int k = 0; k < type.Length; k++) dest[k] = (byte)type[k];
                return type.Length;
            }
            return 0;
        }
    }
}
