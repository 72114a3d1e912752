using Atcp.Firmware.Tcp;
using Atcp.Wire.Atcp;

namespace Atcp.Firmware.Udp
{
    /// <summary>One datagram reply slot (a COMMAND_UDP being served): header template, medium,
    /// range and sender state. Slots are preallocated in a fixed table, so starting a stream
    /// allocates nothing; block ranges, not copies, are kept for retransmission.</summary>
    public sealed class DatagramStream
    {
        /// <summary>Front-end-assigned stream id.</summary>
        public uint StreamId;
        /// <summary>Ethernet + IPv4 + UDP (+ TFTP DATA) header template of every datagram.</summary>
        public readonly byte[] HeaderTemplate = new byte[PseudoUdpPacketizer.MaxHeaderLength];
        /// <summary>Bytes of HeaderTemplate in use (42 Raw, 46 TftpData).</summary>
        public int HeaderLength;
        /// <summary>How each datagram is framed.</summary>
        public AtcpDatagramFraming Framing;
        /// <summary>The medium the blocks come from.</summary>
        public IPayloadSource Source;
        /// <summary>Where the range starts in the object.</summary>
        public long RangeOffset;
        /// <summary>Bytes in the range (the stream's total).</summary>
        public long RangeLength;
        /// <summary>When the COMMAND_UDP arrived (DONE reports the duration from here).</summary>
        public long StartedAt;
        /// <summary>Window, timer and block accounting.</summary>
        public readonly DatagramSender Sender = new DatagramSender();

        /// <summary>True when the slot holds no stream.</summary>
        public bool IsFree { get { return Sender.State == SenderState.Idle; } }

        /// <summary>Fills the slot from a parsed and validated COMMAND_UDP whose object the caller
        /// opened as source, and starts sending. boardMac is the Ethernet source of the datagrams.
        /// Returns the SERVICE_ACK status: Accepted, UnsupportedOpcode (unknown framing), BadRange
        /// (range outside the object) or BadCommand (more blocks than 32-bit numbers allow); on
        /// anything but Accepted the slot stays free.</summary>
        public AtcpServiceStatus Start(AtcpCommandUdpRepr command, byte[] boardMac, IPayloadSource source, long now)
        {
            Sender.Reset();
            if (!PseudoUdpPacketizer.IsSupported(command.Framing)) return AtcpServiceStatus.UnsupportedOpcode;
            long size = source.Size;
            if (command.RangeOffset > (ulong)size) return AtcpServiceStatus.BadRange;
            long offset = (long)command.RangeOffset;
            long length;
            if (command.RangeLength == AtcpStream.RangeToEnd) length = size - offset;
            else
            {
                if (command.RangeLength > (ulong)(size - offset)) return AtcpServiceStatus.BadRange;
                length = (long)command.RangeLength;
            }

            bool tftp = command.Framing == AtcpDatagramFraming.TftpData;
            if (!Sender.Start(length, command.BlockSize, command.WindowSize, command.FirstBlock, command.RetransmitTimeoutMs,
                command.MaxRetransmissions, tftp, now))
                return AtcpServiceStatus.BadCommand;

            StreamId = command.StreamId;
            Framing = command.Framing;
            Source = source;
            RangeOffset = offset;
            RangeLength = length;
            StartedAt = now;
            HeaderLength = PseudoUdpPacketizer.WriteTemplate(HeaderTemplate, boardMac, command.NextHopMac, command.ServiceAddress,
                command.ServicePort, command.ClientAddress, command.ClientPort, command.Ttl, command.Framing);
            return AtcpServiceStatus.Accepted;
        }

        /// <summary>Frees the slot and drops the medium reference.</summary>
        public void Release() { Sender.Reset(); Source = null; }
    }
}
