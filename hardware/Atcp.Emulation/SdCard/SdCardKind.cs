namespace Atcp.Emulation.SdCard;

/// <summary>Which card the model plays (SD Physical Layer Simplified Specification v4.10, §3.3.2).</summary>
public enum SdCardKind
{
    /// <summary>Physical Layer 1.x standard capacity card: CMD8 is an illegal command, byte addressing.</summary>
    SdscVersion1,
    /// <summary>Version 2 standard capacity card: answers CMD8, CCS = 0, byte addressing, CSD 1.0.</summary>
    Sdsc,
    /// <summary>High capacity (SDHC, or SDXC above 32 GB): CCS = 1, block addressing, CSD 2.0; stays
    /// busy in ACMD41 unless the host sent CMD8 and set HCS.</summary>
    HighCapacity,
}

/// <summary>One block about to be committed to the image: its number and how many blocks were
/// committed before it since the model was created.</summary>
public readonly record struct SdBlockCommit(long Block, long Ordinal);
