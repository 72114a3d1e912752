using Atcp.Firmware.Hal;
using Atcp.Wire;
using Atcp.Wire.Ethernet;
using Atcp.Wire.IPv4;
using Atcp.Wire.Tcp;

namespace Atcp.Firmware.Tcp
{
    /// <summary>The seed's pseudo-TCP packetizer (Fig. 11, block 37): builds Ethernet + IPv4 + TCP
    /// segments that carry the front-end's address, port and sequence space, from a per-stream
    /// header template, the reply prefix held in RAM (until acknowledged) and the body read from the medium straight into
    /// the frame. The TCP checksum comes from stored chunk sums: the only payload bytes summed in
    /// managed code are a prefix (once per stream) and chunk edges at unaligned range ends, counted in
    /// <see cref="BytesSummedInManagedCode"/>.</summary>
    public sealed class PseudoTcpPacketizer
    {
        /// <summary>Ethernet + IPv4 + TCP header bytes in front of every payload (no options).</summary>
        public const int HeaderLength = EthernetHeader.Length + IPv4Header.MinLength + TcpHeader.MinLength;
        const int IpAt = EthernetHeader.Length;
        const int TcpAt = EthernetHeader.Length + IPv4Header.MinLength;

        ushort _ipIdentification;
        readonly PayloadChecksum _checksum = new PayloadChecksum();

        /// <summary>Payload bytes whose sum had to be computed by looping in managed code.</summary>
        public long BytesSummedInManagedCode { get { return _checksum.BytesSummedInManagedCode; } }

        /// <summary>Payload bytes whose sum came from stored chunk sums.</summary>
        public long BytesSummedFromStore { get { return _checksum.BytesSummedFromStore; } }

        /// <summary>Starts IPv4 identification numbers at a board-specific value, so boards that send
        /// for the same service IP do not all start at 0.</summary>
        public PseudoTcpPacketizer(ushort firstIdentification) { _ipIdentification = firstIdentification; }

        /// <summary>Writes the constant part of a stream's segments: MACs, addresses, ports, TTL.</summary>
        public static void WriteTemplate(byte[] template, byte[] sourceMac, byte[] nextHopMac, uint serviceIp, ushort servicePort,
            uint clientIp, ushort clientPort, byte ttl)
        {
            System.Array.Clear(template, 0, HeaderLength);
            EthernetHeader.SetDestination(template, 0, nextHopMac, 0);
            EthernetHeader.SetSource(template, 0, sourceMac, 0);
            EthernetHeader.SetEtherType(template, 0, EtherType.IPv4);
            IPv4Header.SetVersionAndHeaderLength(template, IpAt, IPv4Header.MinLength);
            IPv4Header.SetFlagsAndFragmentOffset(template, IpAt, true, false, 0); // DF: path MTU discovery (RFC 1191)
            IPv4Header.SetTtl(template, IpAt, ttl);
            IPv4Header.SetProtocol(template, IpAt, IpProtocol.Tcp);
            IPv4Header.SetSource(template, IpAt, serviceIp);
            IPv4Header.SetDestination(template, IpAt, clientIp);
            TcpHeader.SetSourcePort(template, TcpAt, servicePort);
            TcpHeader.SetDestinationPort(template, TcpAt, clientPort);
            TcpHeader.SetHeaderLength(template, TcpAt, TcpHeader.MinLength);
        }

        /// <summary>Builds the segment carrying stream bytes [streamOffset, streamOffset + length) of
        /// stream into frame[frameOffset..]; the frame is HeaderLength + length bytes long.</summary>
        public BlockStatus Build(ReplyStream stream, long streamOffset, int length, byte flags, byte[] frame, int frameOffset)
        {
            int payloadAt = frameOffset + HeaderLength;
            int prefixLength = stream.PrefixLength;
            ushort payloadSum = 0;
            int position = 0;

            if (streamOffset < prefixLength)
            {
                int n = prefixLength - (int)streamOffset;
                if (n > length) n = length;
                // Released prefixes were acknowledged: the sender never goes back below that point.
                if (stream.PrefixHeld < prefixLength) return BlockStatus.OutOfRange;
                System.Array.Copy(stream.PrefixBuffer, stream.PrefixOffset + (int)streamOffset, frame, payloadAt, n);
                ushort part;
                if (streamOffset == 0 && n == prefixLength) part = stream.PrefixSum;
                else { part = InternetChecksum.Sum(frame, payloadAt, n); _checksum.BytesSummedInManagedCode += n; }
                payloadSum = part;
                position = n;
            }
            if (position < length)
            {
                int dataLength = length - position;
                long objectOffset = stream.RangeOffset + (streamOffset + position - prefixLength);
                BlockStatus status = stream.Source.Read(objectOffset, frame, payloadAt + position, dataLength);
                if (status != BlockStatus.Ok) return status;
                ushort dataSum = _checksum.Sum(stream.Source, objectOffset, dataLength, frame, payloadAt + position);
                payloadSum = InternetChecksum.CombineAt(payloadSum, dataSum, position);
            }

            System.Array.Copy(stream.HeaderTemplate, 0, frame, frameOffset, HeaderLength);
            int ip = frameOffset + IpAt, tcp = frameOffset + TcpAt;
            IPv4Header.SetTotalLength(frame, ip, (ushort)(IPv4Header.MinLength + TcpHeader.MinLength + length));
            IPv4Header.SetIdentification(frame, ip, _ipIdentification++);
            IPv4Header.FillChecksum(frame, ip);
            TcpHeader.SetSequenceNumber(frame, tcp, (uint)(stream.Sender.InitialSequence + (ulong)streamOffset));
            TcpHeader.SetAcknowledgmentNumber(frame, tcp, stream.AckNumber);
            TcpHeader.SetFlags(frame, tcp, flags);
            TcpHeader.SetWindow(frame, tcp, stream.AdvertisedWindow);
            TcpHeader.FillChecksum(IPv4Header.GetSource(frame, ip), IPv4Header.GetDestination(frame, ip), frame, tcp,
                TcpHeader.MinLength, length, payloadSum);
            return BlockStatus.Ok;
        }
    }
}
