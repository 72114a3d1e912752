namespace Atcp.Wire.Atcp
{
    /// <summary>ATCP message types (SPEC.md section 4). The top two bits give the direction:
    /// 00 front-end to board, 10 board to front-end, 01 and 11 either way. Values not listed
    /// survive parsing as plain numbers.</summary>
    public enum AtcpMessageType : byte
    {
        /// <summary>Front-end asks a board to stream a reply over TCP (the seed's ATCP_command_to_back-end_server).</summary>
        Command = 0x01,
        /// <summary>Front-end asks a board to stream a reply as UDP datagrams (the seed's pseudo-UDP embodiment).</summary>
        CommandUdp = 0x02,
        /// <summary>Front-end relays a client's TCP acknowledgement (the seed's ATCP_ACK 29).</summary>
        ClientAck = 0x03,
        /// <summary>Front-end relays a datagram acknowledgement (a TFTP ACK) for a COMMAND_UDP stream.</summary>
        DatagramAck = 0x04,
        /// <summary>Front-end relays a smaller path MTU learned from ICMP fragmentation-needed.</summary>
        PathMtu = 0x05,
        /// <summary>Front-end asks boards to announce themselves.</summary>
        HelloRequest = 0x06,
        /// <summary>Front-end asks a board for one page of a volume's object list.</summary>
        InventoryRequest = 0x07,
        /// <summary>Front-end relays client acknowledgements for several streams of one board in one frame.</summary>
        ClientAcks = 0x08,
        /// <summary>Either side ends a stream early.</summary>
        Abort = 0x40,
        /// <summary>Board reports a stream's status and progress (the seed's ATCP_ACK 27).</summary>
        ServiceAck = 0x81,
        /// <summary>Board announces itself (heartbeat, or a reply to HELLO_REQUEST).</summary>
        Hello = 0x82,
        /// <summary>Board sends one page of a volume's object list.</summary>
        Inventory = 0x83,
        /// <summary>Board reports a stream finished: every byte acknowledged by the client.</summary>
        Done = 0x84,
    }

    /// <summary>Who may send a message type.</summary>
    public enum AtcpDirection : byte
    {
        /// <summary>Only the front-end (sender id 0) sends it.</summary>
        FrontEndToBoard = 0,
        /// <summary>Either side sends it.</summary>
        Either = 1,
        /// <summary>Only boards (sender id 1..65534) send it.</summary>
        BoardToFrontEnd = 2,
    }

    /// <summary>Facts about message type numbers, known or not.</summary>
    public static class AtcpMessageTypes
    {
        /// <summary>True for the types this version defines.</summary>
        public static bool IsKnown(byte type)
        {
            return (type >= 0x01 && type <= 0x08) || type == 0x40 || (type >= 0x81 && type <= 0x84);
        }

        /// <summary>The direction encoded in the top two bits (defined for unknown types too, so a
        /// later type is still filtered by direction).</summary>
        public static AtcpDirection DirectionOf(byte type)
        {
            int top = type >> 6;
            if (top == 0) return AtcpDirection.FrontEndToBoard;
            if (top == 2) return AtcpDirection.BoardToFrontEnd;
            return AtcpDirection.Either;
        }

        /// <summary>The spec's name of a type (for logs; enum ToString gives numbers on a board).</summary>
        public static string Name(byte type)
        {
            switch (type)
            {
                case 0x01: return "COMMAND";
                case 0x02: return "COMMAND_UDP";
                case 0x03: return "CLIENT_ACK";
                case 0x04: return "DATAGRAM_ACK";
                case 0x05: return "PATH_MTU";
                case 0x06: return "HELLO_REQUEST";
                case 0x07: return "INVENTORY_REQUEST";
                case 0x08: return "CLIENT_ACKS";
                case 0x40: return "ABORT";
                case 0x81: return "SERVICE_ACK";
                case 0x82: return "HELLO";
                case 0x83: return "INVENTORY";
                case 0x84: return "DONE";
                default: return "UNKNOWN_" + type.ToString();
            }
        }
    }
}
