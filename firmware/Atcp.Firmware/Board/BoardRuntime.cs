using Atcp.Firmware.Cd;
using Atcp.Firmware.Console;
using Atcp.Firmware.Disk.Sd;
using Atcp.Firmware.Hal;
using Atcp.Firmware.Nic;
using Atcp.Firmware.Store;

namespace Atcp.Firmware.Board
{
    /// <summary>A booted board: the drivers built over the hardware, the cards mounted, the settings
    /// loaded, the engine and the console running. <see cref="BoardMain"/> boots one and runs it;
    /// the virtual board does the same over emulated chips.</summary>
    public sealed class BoardRuntime
    {
        /// <summary>Volume id of the disk card.</summary>
        public const byte DiskVolumeId = 0;
        /// <summary>Volume id of the CD card.</summary>
        public const byte CdVolumeId = 1;

        /// <summary>The hardware booted on.</summary>
        public readonly BoardHardware Hardware;
        /// <summary>Board log (console `log`).</summary>
        public readonly BoardLog Log = new BoardLog();
        /// <summary>The console.</summary>
        public readonly SerialConsole Console;
        /// <summary>The configuration in force.</summary>
        public readonly BoardConfig Config;
        /// <summary>NIC driver.</summary>
        public W5500 Nic;
        /// <summary>Disk card driver (null when the card did not initialise).</summary>
        public SdCard DiskCard;
        /// <summary>CD card driver (null when the card did not initialise).</summary>
        public SdCard CdCard;
        /// <summary>Object store on the disk card.</summary>
        public ObjectStore Store;
        /// <summary>The disk volume (null without a store).</summary>
        public DiskVolume Disk;
        /// <summary>The CD volume (null without a CD).</summary>
        public CdVolume Cd;
        /// <summary>The state machine.</summary>
        public BoardEngine Engine;
        /// <summary>Set by the console's `reboot`: the run loop returns and BoardMain boots again.</summary>
        public bool RebootRequested;
        /// <summary>Set when the settings on the card changed and need a reboot to take effect.</summary>
        public bool SettingsChanged;

        BoardRuntime(BoardHardware hardware, BoardConfig config)
        {
            Hardware = hardware;
            Config = config;
            Console = new SerialConsole(hardware.Console);
            Log.Sink = Console;
        }

        /// <summary>Boots: cards, settings (the card's win over defaults unless defaultsWin), a new boot
        /// epoch persisted before any frame is sent (SPEC 3.1), the NIC, the engine, the console.</summary>
        public static BoardRuntime Boot(BoardHardware hardware, BoardConfig defaults, bool defaultsWin)
        {
            BoardRuntime r = new BoardRuntime(hardware, defaults);
            long now = hardware.Clock.NowMilliseconds;
            r.Console.Start("atcp storage board, firmware " + BoardConfig.VersionText);
            r.MountCards(now);

            BoardConfig fromCard = new BoardConfig();
            System.Array.Copy(defaults.ClusterKey, fromCard.ClusterKey, 16);
            System.Array.Copy(defaults.Mac, fromCard.Mac, 6);
            bool loaded = BoardSettings.Load(r.Store, fromCard, r.Log, now);
            if (loaded && !defaultsWin) CopyConfig(fromCard, r.Config);
            r.Config.BootEpoch = (loaded ? fromCard.BootEpoch : defaults.BootEpoch) + 1;
            if (r.Store != null && r.Store.IsMounted)
            {
                StoreStatus saved = BoardSettings.Save(r.Store, r.Config);
                if (saved != StoreStatus.Ok)
                    r.Log.Add(now, LogLevel.Error, "cannot persist the boot epoch (" + StoreStatusText.Describe(saved)
                        + "); frames of this boot may be refused as replays after a restart");
            }
            else r.Log.Add(now, LogLevel.Warning, "no disk card: settings and boot epoch are not persisted");
            if (!loaded) r.Log.Add(now, LogLevel.Warning, "no settings on the card: using defaults (board-id "
                + r.Config.BoardId.ToString() + "); set them with 'set' and 'reboot'");

            r.Nic = new W5500(hardware.W5500Spi, hardware.Clock, hardware.W5500Reset, hardware.W5500Interrupt, r.Config.Mac);
            W5500Status nic = r.Nic.Initialize();
            if (nic != W5500Status.Ok) r.Log.Add(now, LogLevel.Error, "NIC: " + W5500.Describe(nic));
            else r.Log.Add(now, LogLevel.Info, "NIC up, MAC " + Text.Mac(r.Config.Mac, 0) + ", link "
                + (r.Nic.LinkUp ? r.Nic.LinkSpeedMbps.ToString() + " Mbit/s" : "down"));

            IBoardVolume[] volumes = new IBoardVolume[] { r.Disk, r.Cd };
            r.Engine = new BoardEngine(r.Config, r.Nic, volumes, r.Log);
            BoardCommands.RegisterAll(r);
            r.Log.Add(now, LogLevel.Info, "board " + r.Config.BoardId.ToString() + " ready, boot epoch " + r.Config.BootEpoch.ToString());
            return r;
        }

        void MountCards(long now)
        {
            IClock clock = Hardware.Clock;
            ISpiClockControl clockControl = Hardware.SdSpi as ISpiClockControl;
            // Both cards share the SD bus: a card's open multiple block read is closed before the other is used.
            SdBusOwner sdBus = new SdBusOwner();
            // A stream slot serves one object at a time, from either volume: one set of sources.
            PayloadSlots sources = new PayloadSlots(BoardEngine.PayloadSources);
            DiskCard = new SdCard(Hardware.SdSpi, Hardware.DiskCs, clock, Hardware.DiskDetect, true);
            DiskCard.ClockControl = clockControl;
            DiskCard.SharedBus = sdBus;
            BlockStatus disk = DiskCard.Initialize();
            if (disk != BlockStatus.Ok)
            {
                Log.Add(now, LogLevel.Error, "disk card: " + SdCard.StatusText(disk));
                DiskCard = null;
            }
            else
            {
                Store = new ObjectStore(DiskCard);
                StoreStatus s = Store.Mount();
                if (s != StoreStatus.Ok) Log.Add(now, LogLevel.Error, "disk store: " + StoreStatusText.Describe(s)
                    + (s == StoreStatus.Unformatted ? " (write an image with tools/sdimage)" : ""));
                else Log.Add(now, LogLevel.Info, "disk '" + Store.GetLabel() + "': " + Store.ObjectCount.ToString() + " objects, "
                    + Text.Bytes(Store.FreeBytes) + " free");
                Disk = new DiskVolume(DiskVolumeId, Store, sources);
            }

            CdCard = new SdCard(Hardware.SdSpi, Hardware.CdCs, clock, Hardware.CdDetect, true);
            CdCard.ClockControl = clockControl;
            CdCard.SharedBus = sdBus;
            BlockStatus cd = CdCard.Initialize();
            if (cd != BlockStatus.Ok)
            {
                if (cd == BlockStatus.NoCard) Log.Add(now, LogLevel.Info, "no CD card");
                else Log.Add(now, LogLevel.Error, "CD card: " + SdCard.StatusText(cd));
                CdCard = null;
                return;
            }
            IsoVolume iso = new IsoVolume(CdCard);
            IsoStatus m = iso.Mount();
            if (m != IsoStatus.Ok) Log.Add(now, LogLevel.Error, "CD: " + IsoStatusText.Describe(m));
            else Log.Add(now, LogLevel.Info, "CD '" + iso.VolumeIdentifier + "' mounted" + (iso.UsesJoliet ? " (Joliet)" : ""));
            Cd = new CdVolume(CdVolumeId, iso, sources);
        }

        static void CopyConfig(BoardConfig from, BoardConfig to)
        {
            to.BoardId = from.BoardId;
            to.ClusterId = from.ClusterId;
            System.Array.Copy(from.ClusterKey, to.ClusterKey, 16);
            System.Array.Copy(from.Mac, to.Mac, 6);
            to.HeartbeatSeconds = from.HeartbeatSeconds;
        }

        /// <summary>One turn: the engine, then the console. Returns true when there was work, so the
        /// caller may sleep when idle.</summary>
        public bool Step()
        {
            long now = Hardware.Clock.NowMilliseconds;
            long framesBefore = Engine.Counters.FramesIn + Engine.Counters.FramesOut;
            Engine.Poll(now);
            Console.Poll();
            return Engine.Counters.FramesIn + Engine.Counters.FramesOut != framesBefore;
        }

        /// <summary>Runs until `reboot` is typed.</summary>
        public void RunUntilReboot()
        {
            long lastLinkCheck = 0;
            while (!RebootRequested)
            {
                bool busy = Step();
                long now = Hardware.Clock.NowMilliseconds;
                if (now - lastLinkCheck >= 1000)
                {
                    lastLinkCheck = now;
                    bool wasUp = Nic.LinkUp;
                    Nic.RefreshLinkStatus();
                    Nic.CheckSocket();
                    if (wasUp != Nic.LinkUp) Log.Add(now, Nic.LinkUp ? LogLevel.Info : LogLevel.Warning, "link " + (Nic.LinkUp ? "up" : "down"));
                }
                // Idle: yield the CPU briefly; the NIC holds arriving frames meanwhile.
                if (!busy && !Engine.HasStreams) Hardware.Clock.Sleep(1);
            }
        }
    }

    /// <summary>The firmware's entry point on a board: boot, run, and boot again after `reboot`.</summary>
    public static class BoardMain
    {
        /// <summary>Runs the board forever on hardware, with settings from the disk card.</summary>
        public static void Run(BoardHardware hardware)
        {
            BoardConfig defaults = new BoardConfig();
            BoardConfig.DefaultMac(defaults.BoardId, defaults.Mac);
            while (true)
            {
                BoardRuntime runtime = BoardRuntime.Boot(hardware, defaults, false);
                runtime.RunUntilReboot();
                runtime.Console.Output.Line("rebooting...");
                defaults = runtime.Config;
            }
        }
    }
}
