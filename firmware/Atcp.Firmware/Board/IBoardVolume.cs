using Atcp.Firmware.Tcp;
using Atcp.Wire.Atcp;

namespace Atcp.Firmware.Board
{
    /// <summary>A volume as the board engine serves it: a disk (object store on an SD card) or a CD
    /// (ISO 9660 image on the second card). Opening an object for a stream slot allocates nothing:
    /// the volume keeps what it needs per slot and hands out the slot's preallocated source
    /// (<see cref="PayloadSlots"/>, one set shared by the board's volumes).</summary>
    public interface IBoardVolume
    {
        /// <summary>Volume id announced in HELLO and named by COMMANDs.</summary>
        byte Id { get; }

        /// <summary>Disk or CD.</summary>
        AtcpVolumeKind Kind { get; }

        /// <summary>True when the medium is mounted and can serve.</summary>
        bool IsMounted { get; }

        /// <summary>Flags for HELLO (ReadOnly, Faulted).</summary>
        byte Flags { get; }

        /// <summary>Label for people and HELLO (at most 32 UTF-8 bytes are sent).</summary>
        string Label { get; }

        /// <summary>Capacity in bytes.</summary>
        long CapacityBytes { get; }

        /// <summary>Free bytes.</summary>
        long FreeBytes { get; }

        /// <summary>Objects or files served.</summary>
        long ObjectCount { get; }

        /// <summary>Changes whenever the object list changes.</summary>
        uint Generation { get; }

        /// <summary>Opens name for stream slot; on Accepted, source is ready to read.</summary>
        AtcpServiceStatus Open(byte[] name, int offset, int length, int slot, out IPayloadSource source);

        /// <summary>Fills page with entries starting at index firstIndex (up to maxEntries, or as
        /// many as fit when 0); sets the page's totals and LastPage flag.</summary>
        void FillInventory(uint firstIndex, int maxEntries, AtcpInventoryRepr page);
    }
}
