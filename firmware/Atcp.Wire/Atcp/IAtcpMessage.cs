namespace Atcp.Wire.Atcp
{
    /// <summary>A message body's plain description (repr): what <see cref="AtcpFrameWriter.Write"/>
    /// emits and what a receiver fills from a body the <see cref="AtcpFrameReader"/> located.
    /// Implementations are reusable: Parse overwrites every field and allocates nothing.</summary>
    public interface IAtcpMessage
    {
        /// <summary>The header's message type for this body.</summary>
        AtcpMessageType MessageType { get; }

        /// <summary>Bytes Emit writes.</summary>
        int Length { get; }

        /// <summary>Fills this instance from a body of exactly length bytes; never throws.</summary>
        ParseStatus Parse(byte[] buffer, int offset, int length);

        /// <summary>Writes the body at buffer[offset..offset+Length).</summary>
        void Emit(byte[] buffer, int offset);
    }
}
