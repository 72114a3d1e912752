using Atcp.Firmware.Cd;
using Atcp.Firmware.Console;
using Atcp.Firmware.Store;
using Atcp.Firmware.Tcp;
using Atcp.Wire.IPv4;
using Atcp.Wire.Tcp;

namespace Atcp.Firmware.Board
{
    /// <summary>The board's console commands: status, stats, conns, disk, cd, log, get, set, reboot.</summary>
    public sealed class BoardCommands : IConsoleCommand
    {
        readonly BoardRuntime _r;
        readonly string _name, _help;

        BoardCommands(BoardRuntime runtime, string name, string help) { _r = runtime; _name = name; _help = help; }

        /// <inheritdoc/>
        public string Name { get { return _name; } }
        /// <inheritdoc/>
        public string Help { get { return _help; } }

        /// <summary>Registers every command on the runtime's console.</summary>
        public static void RegisterAll(BoardRuntime r)
        {
            r.Console.Register(new BoardCommands(r, "status", "board, link, front-end, volumes"));
            r.Console.Register(new BoardCommands(r, "stats", "frames, drops by reason, retransmissions, SPI traffic"));
            r.Console.Register(new BoardCommands(r, "conns", "streams in progress"));
            r.Console.Register(new BoardCommands(r, "disk", "[ls [N] | verify NAME]  card, store, objects"));
            r.Console.Register(new BoardCommands(r, "cd", "[ls [PATH]]  CD volume and files"));
            r.Console.Register(new BoardCommands(r, "log", "recent log lines"));
            r.Console.Register(new BoardCommands(r, "get", "[KEY]  show settings"));
            r.Console.Register(new BoardCommands(r, "set", "KEY VALUE  change a setting (saved; most take effect after reboot)"));
            r.Console.Register(new BoardCommands(r, "reboot", "restart the firmware"));
        }

        /// <inheritdoc/>
        public void Run(string[] args, ConsoleOutput o)
        {
            long now = _r.Hardware.Clock.NowMilliseconds;
            switch (_name)
            {
                case "status": Status(o, now); break;
                case "stats": Stats(o); break;
                case "conns": Conns(o); break;
                case "disk": Disk(args, o); break;
                case "cd": Cd(args, o); break;
                case "log": for (int i = 0; i < _r.Log.Count; i++) o.Line(_r.Log.Format(i)); break;
                case "get": Get(args, o); break;
                case "set": Set(args, o, now); break;
                case "reboot": _r.RebootRequested = true; o.Line("rebooting after this command"); break;
            }
        }

        void Status(ConsoleOutput o, long now)
        {
            BoardEngine e = _r.Engine;
            o.Field("board", _r.Config.BoardId.ToString() + ", firmware " + BoardConfig.VersionText + ", boot epoch " + _r.Config.BootEpoch.ToString());
            o.Field("uptime", Text.Seconds(e.UptimeMs(now)));
            o.Field("mac", Text.Mac(_r.Config.Mac, 0));
            o.Field("link", _r.Nic.LinkUp ? _r.Nic.LinkSpeedMbps.ToString() + " Mbit/s " + (_r.Nic.FullDuplex ? "full" : "half") + " duplex" : "DOWN: check the cable and switch port");
            o.Field("front-end", e.FrontEndKnown ? "heard" : "not heard yet (HELLOs go to broadcast)");
            o.Field("streams", e.ActiveStreams.ToString() + " of " + BoardEngine.MaxStreams.ToString());
            for (int i = 0; i < e.Volumes.Length; i++)
            {
                IBoardVolume v = e.Volumes[i];
                if (v == null) continue;
                o.Field("volume " + v.Id.ToString(), (v.Kind == Wire.Atcp.AtcpVolumeKind.Cd ? "cd" : "disk") + " '" + v.Label + "' "
                    + (v.IsMounted ? v.ObjectCount.ToString() + " objects, " + Text.Bytes(v.FreeBytes) + " free of " + Text.Bytes(v.CapacityBytes) : "NOT MOUNTED"));
            }
            if (_r.SettingsChanged) o.Line("  settings changed: 'reboot' to apply");
        }

        void Stats(ConsoleOutput o)
        {
            BoardCounters c = _r.Engine.Counters;
            o.Field("frames in/out", c.FramesIn.ToString() + " / " + c.FramesOut.ToString());
            o.Field("payload out", Text.Bytes(c.PayloadBytesOut));
            o.Field("retransmissions", c.Retransmissions.ToString());
            o.Field("streams", c.StreamsStarted.ToString() + " started, " + c.StreamsCompleted.ToString() + " completed, "
                + c.StreamsFailed.ToString() + " failed, " + c.CommandsRefused.ToString() + " refused");
            PrefixPool pool = _r.Engine.Prefixes;
            o.Field("reply prefixes", pool.Used.ToString() + " of " + pool.Capacity.ToString() + " bytes held, "
                + c.PrefixPoolFull.ToString() + " times full (answered busy)");
            o.Field("drops", c.TotalDrops.ToString());
            for (int i = 0; i < c.Drops.Length; i++)
                if (c.Drops[i] > 0) o.Line("    " + Text.Left(DropReasons.Name((DropReason)i), 18) + c.Drops[i].ToString());
            PseudoTcpPacketizer p = _r.Engine.Packetizer;
            o.Field("checksum bytes", Text.Bytes(p.BytesSummedFromStore) + " from stored sums, " + Text.Bytes(p.BytesSummedInManagedCode) + " summed here");
            o.Field("nic spi", _r.Nic.Counters.SpiTransactions.ToString() + " transfers, " + Text.Bytes(_r.Nic.Counters.SpiBytes));
            if (_r.DiskCard != null) o.Field("disk spi", _r.DiskCard.Statistics.SpiTransactions.ToString() + " transfers, " + Text.Bytes(_r.DiskCard.Statistics.SpiBytes)
                + ", " + _r.DiskCard.Statistics.CrcErrors.ToString() + " CRC errors, block gap " + _r.DiskCard.GapEstimate.ToString() + " B");
            if (_r.CdCard != null) o.Field("cd spi", _r.CdCard.Statistics.SpiTransactions.ToString() + " transfers, " + Text.Bytes(_r.CdCard.Statistics.SpiBytes)
                + ", block gap " + _r.CdCard.GapEstimate.ToString() + " B");
        }

        void Conns(ConsoleOutput o)
        {
            BoardEngine e = _r.Engine;
            if (e.ActiveStreams == 0) { o.Line("no streams in progress"); return; }
            o.Line("  " + Text.Left("stream", 11) + Text.Left("client", 22) + Text.Right("acked", 10) + Text.Right("sent", 10)
                + Text.Right("total", 10) + Text.Right("cwnd", 8) + Text.Right("rto", 7) + Text.Right("retx", 6));
            for (int i = 0; i < BoardEngine.MaxStreams; i++)
            {
                ReplyStream s = e.StreamAt(i);
                if (s.IsFree) continue;
                const int ip = 14, tcp = 34;
                string client = Text.Ip(IPv4Header.GetDestination(s.HeaderTemplate, ip)) + ":" + TcpHeader.GetDestinationPort(s.HeaderTemplate, tcp).ToString();
                TcpSender t = s.Sender;
                o.Line("  " + Text.Left(s.StreamId.ToString(), 11) + Text.Left(client, 22) + Text.Right(t.Acknowledged.ToString(), 10)
                    + Text.Right(t.HighestSent.ToString(), 10) + Text.Right(t.Total.ToString(), 10) + Text.Right(t.CongestionWindow.ToString(), 8)
                    + Text.Right(t.RetransmissionTimeoutMs.ToString(), 7) + Text.Right(t.RetransmittedSegments.ToString(), 6));
            }
        }

        void Disk(string[] args, ConsoleOutput o)
        {
            if (_r.DiskCard == null) { o.Line("no disk card (or it did not initialise): see 'log'"); return; }
            ObjectStore store = _r.Store;
            if (args.Length == 0)
            {
                o.Field("card", _r.DiskCard.Info.Describe());
                if (!store.IsMounted) { o.Field("store", "not mounted: see 'log'"); return; }
                o.Field("label", store.GetLabel());
                o.Field("objects", store.ObjectCount.ToString());
                o.Field("space", Text.Bytes(store.UsedBytes) + " used, " + Text.Bytes(store.FreeBytes) + " free of " + Text.Bytes(store.CapacityBytes));
                o.Field("chunk size", store.ChunkSize.ToString() + " bytes");
                return;
            }
            if (!store.IsMounted) { o.Line("store not mounted"); return; }
            StoreObject obj = new StoreObject();
            if (args[0] == "ls")
            {
                int limit = args.Length > 1 ? ParseInt(args[1], 50) : 50;
                long cursor = 0;
                int shown = 0;
                StoreStatus s;
                while (shown < limit && (s = store.ListNext(ref cursor, obj)) != StoreStatus.EndOfList)
                {
                    if (s != StoreStatus.Ok) { o.Line("  (damaged entry skipped: " + StoreStatusText.Describe(s) + ")"); continue; }
                    o.Line("  " + Text.Right(obj.Size.ToString(), 12) + "  " + obj.GetName() + "  " + obj.GetContentType());
                    shown++;
                }
                if (shown == limit) o.Line("  ... (first " + limit.ToString() + " shown; 'disk ls N' for more)");
                return;
            }
            if (args[0] == "verify" && args.Length > 1)
            {
                StoreStatus s = store.Lookup(args[1], obj);
                if (s != StoreStatus.Ok) { o.Line(args[1] + ": " + StoreStatusText.Describe(s)); return; }
                s = store.Verify(obj);
                o.Line(args[1] + ": " + (s == StoreStatus.Ok ? "ok (CRC-32C and chunk sums match)" : StoreStatusText.Describe(s)));
                return;
            }
            o.Line("usage: disk [ls [N] | verify NAME]");
        }

        void Cd(string[] args, ConsoleOutput o)
        {
            if (_r.Cd == null) { o.Line("no CD card"); return; }
            IsoVolume iso = _r.Cd.Iso;
            if (!iso.IsMounted) { o.Line("CD not mounted: see 'log'"); return; }
            if (args.Length == 0)
            {
                o.Field("volume", iso.VolumeIdentifier + (iso.UsesJoliet ? " (Joliet)" : ""));
                o.Field("size", Text.Bytes(_r.Cd.CapacityBytes));
                o.Field("files", _r.Cd.ObjectCount.ToString());
                return;
            }
            if (args[0] != "ls") { o.Line("usage: cd [ls [PATH]]"); return; }
            IsoEntry dir = new IsoEntry();
            IsoStatus st = args.Length > 1 ? iso.Lookup(args[1], dir) : iso.GetRoot(dir);
            if (st != IsoStatus.Ok) { o.Line((args.Length > 1 ? args[1] : "/") + ": " + IsoStatusText.Describe(st)); return; }
            if (!dir.IsDirectory) { o.Line("  " + Text.Right(dir.Size.ToString(), 12) + "  " + dir.NameToString()); return; }
            IsoDirectoryCursor cursor = new IsoDirectoryCursor();
            IsoEntry e = new IsoEntry();
            iso.OpenDirectory(dir, cursor);
            while ((st = iso.ReadNext(cursor, e)) == IsoStatus.Ok)
                o.Line("  " + Text.Right(e.IsDirectory ? "<dir>" : e.Size.ToString(), 12) + "  " + e.NameToString() + (e.IsDirectory ? "/" : ""));
            if (st != IsoStatus.EndOfDirectory) o.Line("  listing stopped: " + IsoStatusText.Describe(st));
        }

        void Get(string[] args, ConsoleOutput o)
        {
            string[] lines = BoardSettings.Format(_r.Config, false).Split('\n');
            for (int i = 0; i < lines.Length; i++)
                if (lines[i].Length > 0 && (args.Length == 0 || lines[i].StartsWith(args[0] + "="))) o.Line("  " + lines[i]);
        }

        void Set(string[] args, ConsoleOutput o, long now)
        {
            if (args.Length != 2) { o.Line("usage: set KEY VALUE (keys: board-id, cluster-id, cluster-key, mac, heartbeat)"); return; }
            if (args[0] == "epoch") { o.Line("epoch is managed by the board"); return; }
            string error = BoardSettings.Apply(_r.Config, args[0], args[1]);
            if (error != null) { o.Line("error: " + error); return; }
            StoreStatus s = BoardSettings.Save(_r.Store, _r.Config);
            if (s != StoreStatus.Ok) o.Line("warning: not saved (" + StoreStatusText.Describe(s) + "): lost at the next reboot");
            _r.SettingsChanged = args[0] != "heartbeat";
            _r.Log.Add(now, LogLevel.Info, "setting " + args[0] + " changed from the console");
            o.Line(_r.SettingsChanged ? "saved; 'reboot' to apply" : "saved");
        }

        static int ParseInt(string s, int fallback)
        {
            int v = 0;
            if (s.Length == 0 || s.Length > 6) return fallback;
            for (int i = 0; i < s.Length; i++) { if (s[i] < '0' || s[i] > '9') return fallback; v = v * 10 + (s[i] - '0'); }
            return v;
        }
    }
}
