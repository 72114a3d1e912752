namespace Atcp.Firmware.Tcp
{
    /// <summary>One buffer shared by every stream slot for reply prefixes (the HTTP response header
    /// a COMMAND carries). A prefix is needed from the COMMAND until the client has acknowledged it
    /// (it may be retransmitted until then), which is one round trip for most streams; so the pool
    /// is sized for the prefixes in flight at once, not for sixteen of the largest (16 KB).
    /// Prefixes are kept back to back: releasing one slides the later ones down (a copy of a few
    /// hundred bytes, once per stream), so free space is never fragmented and any prefix up to the
    /// free byte count fits. Nothing is allocated after construction.</summary>
    public sealed class PrefixPool
    {
        /// <summary>Bytes the board sets aside for prefixes: four of the largest a COMMAND may carry,
        /// or sixteen typical HTTP response headers (about 250 bytes each).</summary>
        public const int DefaultCapacity = 4 * ReplyStream.MaxPrefixLength;

        readonly byte[] _bytes;
        readonly ReplyStream[] _holders;
        int _used;

        /// <summary>A pool of capacity bytes for the prefixes of the given slots (the pool moves their
        /// prefixes when it compacts, so it must know every slot that may hold one).</summary>
        public PrefixPool(int capacity, ReplyStream[] slots)
        {
            _bytes = new byte[capacity];
            _holders = slots;
        }

        /// <summary>Bytes in the pool.</summary>
        public int Capacity { get { return _bytes.Length; } }

        /// <summary>Bytes held by prefixes now.</summary>
        public int Used { get { return _used; } }

        /// <summary>Copies source[offset..offset+length) into the pool as stream's prefix; false when
        /// the free space is too small (the stream cannot start now: the caller answers Busy). A
        /// stream must not hold a prefix already.</summary>
        public bool Take(ReplyStream stream, byte[] source, int offset, int length)
        {
            if (length > _bytes.Length - _used) return false;
            System.Array.Copy(source, offset, _bytes, _used, length);
            stream.PrefixBuffer = _bytes;
            stream.PrefixOffset = _used;
            stream.PrefixHeld = length;
            _used += length;
            return true;
        }

        /// <summary>Gives back stream's prefix bytes (when the client acknowledged them, or the stream
        /// ended) and slides later prefixes down over them. No-op when the stream holds none.</summary>
        public void Release(ReplyStream stream)
        {
            int length = stream.PrefixHeld;
            if (length == 0 || stream.PrefixBuffer != _bytes) { stream.PrefixHeld = 0; return; }
            int at = stream.PrefixOffset;
            int after = at + length;
            System.Array.Copy(_bytes, after, _bytes, at, _used - after);
            _used -= length;
            for (int i = 0; i < _holders.Length; i++)
            {
                ReplyStream s = _holders[i];
                if (s != stream && s.PrefixHeld > 0 && s.PrefixBuffer == _bytes && s.PrefixOffset > at) s.PrefixOffset -= length;
            }
            stream.PrefixHeld = 0;
            stream.PrefixBuffer = null;
            stream.PrefixOffset = 0;
        }
    }
}
