using Atcp.Firmware.Tcp;
using Atcp.Firmware.Hal;
using Atcp.Wire;
using Atcp.Wire.Atcp;
using Atcp.Wire.Ethernet;
using Atcp.Wire.IPv4;
using Atcp.Wire.Udp;

namespace Atcp.Firmware.Udp
{
    /// <summary>The seed's pseudo-UDP packetizer: builds Ethernet + IPv4 + UDP datagrams that carry
    /// the front-end's service address and port (for TFTP the transfer port the front-end chose), from
    /// a per-stream header template and the block read from the medium straight into the frame. With
    /// TftpData framing each datagram starts with a TFTP DATA header (opcode 3, block number mod 2^16,
    /// RFC 1350 section 5). The UDP checksum comes from stored chunk sums through
    /// <see cref="PayloadChecksum"/>; the TFTP header's two words are added to it directly.</summary>
    public sealed class PseudoUdpPacketizer
    {
        /// <summary>Ethernet + IPv4 (no options) + UDP header bytes.</summary>
        public const int UdpHeadersLength = EthernetHeader.Length + IPv4Header.MinLength + UdpHeader.Length;
        /// <summary>TFTP DATA header: opcode (2 bytes) and block number (2 bytes), RFC 1350 section 5.</summary>
        public const int TftpHeaderLength = AtcpCommandUdp.TftpDataHeaderLength;
        /// <summary>Longest template: UDP headers plus the TFTP DATA header.</summary>
        public const int MaxHeaderLength = UdpHeadersLength + TftpHeaderLength;
        /// <summary>TFTP opcode of DATA packets (RFC 1350 section 5).</summary>
        public const ushort TftpDataOpcode = 3;

        const int IpAt = EthernetHeader.Length;
        const int UdpAt = EthernetHeader.Length + IPv4Header.MinLength;
        const int TftpAt = UdpHeadersLength;

        readonly PayloadChecksum _checksum = new PayloadChecksum();
        ushort _ipIdentification;

        /// <summary>Starts IPv4 identification numbers at a board-specific value, so boards that send
        /// for the same service IP do not all start at 0.</summary>
        public PseudoUdpPacketizer(ushort firstIdentification) { _ipIdentification = firstIdentification; }

        /// <summary>Where the payload sums came from (stored chunk sums or managed loops).</summary>
        public PayloadChecksum Checksum { get { return _checksum; } }

        /// <summary>Header bytes in front of a block for the given framing (Raw: 42, TftpData: 46).</summary>
        public static int HeaderLengthFor(AtcpDatagramFraming framing)
        {
            return framing == AtcpDatagramFraming.TftpData ? MaxHeaderLength : UdpHeadersLength;
        }

        /// <summary>True for the framings this packetizer can build.</summary>
        public static bool IsSupported(AtcpDatagramFraming framing)
        {
            return framing == AtcpDatagramFraming.Raw || framing == AtcpDatagramFraming.TftpData;
        }

        /// <summary>Writes the constant part of a stream's datagrams into template (at least
        /// MaxHeaderLength bytes): MACs, addresses, ports, TTL, DF, and the TFTP opcode. Returns the
        /// header length for the framing.</summary>
        public static int WriteTemplate(byte[] template, byte[] sourceMac, byte[] nextHopMac, uint serviceIp, ushort servicePort,
            uint clientIp, ushort clientPort, byte ttl, AtcpDatagramFraming framing)
        {
            System.Array.Clear(template, 0, MaxHeaderLength);
            EthernetHeader.SetDestination(template, 0, nextHopMac, 0);
            EthernetHeader.SetSource(template, 0, sourceMac, 0);
            EthernetHeader.SetEtherType(template, 0, EtherType.IPv4);
            IPv4Header.SetVersionAndHeaderLength(template, IpAt, IPv4Header.MinLength);
            // DF: blocks are sized to the path MTU and a lost fragment would cost the whole block
            // (RFC 1191; the front-end relays "fragmentation needed" as PATH_MTU).
            IPv4Header.SetFlagsAndFragmentOffset(template, IpAt, true, false, 0);
            IPv4Header.SetTtl(template, IpAt, ttl);
            IPv4Header.SetProtocol(template, IpAt, IpProtocol.Udp);
            IPv4Header.SetSource(template, IpAt, serviceIp);
            IPv4Header.SetDestination(template, IpAt, clientIp);
            UdpHeader.SetSourcePort(template, UdpAt, servicePort);
            UdpHeader.SetDestinationPort(template, UdpAt, clientPort);
            if (framing == AtcpDatagramFraming.TftpData) NetworkOrder.WriteUInt16(template, TftpAt, TftpDataOpcode);
            return HeaderLengthFor(framing);
        }

        /// <summary>Builds the datagram carrying block (unwrapped number) = stream bytes
        /// [streamOffset, streamOffset + length) into frame[frameOffset..]; the frame is
        /// stream.HeaderLength + length bytes long. Returns the medium's status on a read failure
        /// (the frame is then incomplete and must not be sent).</summary>
        public BlockStatus Build(DatagramStream stream, uint block, long streamOffset, int length, byte[] frame, int frameOffset)
        {
            int headerLength = stream.HeaderLength;
            int payloadAt = frameOffset + headerLength;
            ushort dataSum = 0;
            if (length > 0)
            {
                long objectOffset = stream.RangeOffset + streamOffset;
                BlockStatus status = stream.Source.Read(objectOffset, frame, payloadAt, length);
                if (status != BlockStatus.Ok) return status;
                dataSum = _checksum.Sum(stream.Source, objectOffset, length, frame, payloadAt);
            }

            System.Array.Copy(stream.HeaderTemplate, 0, frame, frameOffset, headerLength);
            int ip = frameOffset + IpAt, udp = frameOffset + UdpAt;
            int udpPayloadLength = headerLength - UdpHeadersLength + length;
            ushort payloadSum = dataSum;
            if (headerLength > UdpHeadersLength)
            {
                ushort wrapped = (ushort)block; // RFC 1350 block numbers are 16 bits; the front-end unwraps ACKs
                NetworkOrder.WriteUInt16(frame, frameOffset + TftpAt + 2, wrapped);
                // The TFTP header is two whole words at an even position; the block follows at 4.
                ushort headerSum = InternetChecksum.Combine(TftpDataOpcode, wrapped);
                payloadSum = InternetChecksum.Combine(headerSum, dataSum);
            }
            IPv4Header.SetTotalLength(frame, ip, (ushort)(IPv4Header.MinLength + UdpHeader.Length + udpPayloadLength));
            IPv4Header.SetIdentification(frame, ip, _ipIdentification++);
            IPv4Header.FillChecksum(frame, ip);
            UdpHeader.SetLength(frame, udp, (ushort)(UdpHeader.Length + udpPayloadLength));
            // A computed 0 goes out as 0xFFFF (RFC 768): FillChecksum does that.
            UdpHeader.FillChecksum(IPv4Header.GetSource(frame, ip), IPv4Header.GetDestination(frame, ip), frame, udp,
                udpPayloadLength, payloadSum);
            return BlockStatus.Ok;
        }
    }
}
