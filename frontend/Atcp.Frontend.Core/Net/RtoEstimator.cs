namespace Atcp.Frontend.Net;

/// <summary>RFC 6298 retransmission timeout: SRTT and RTTVAR from samples (Karn's rule is the
/// caller's: never sample a retransmitted segment), binary backoff, bounds.</summary>
public sealed class RtoEstimator
{
    /// <summary>Initial RTO before any sample (RFC 6298 2.1).</summary>
    public const int InitialMs = 1000;
    /// <summary>Lower bound. RFC 6298 2.4 says 1 s SHOULD; like Linux (and the boards' sender) we use
    /// 200 ms, which 2.4 allows, because clients are mostly on the LAN.</summary>
    public const int MinMs = 200;
    /// <summary>Upper bound (RFC 6298 2.5: at least 60 s).</summary>
    public const int MaxMs = 60_000;
    /// <summary>Clock granularity G of RFC 6298 2.3 (our clock is in ms).</summary>
    const int GranularityMs = 1;

    int _srtt = -1, _rttvar;

    /// <summary>The current RTO in ms (backoff included).</summary>
    public int RtoMs { get; private set; } = InitialMs;
    /// <summary>Smoothed RTT in ms, or 0 before the first sample.</summary>
    public int SmoothedRttMs => Math.Max(0, _srtt);

    /// <summary>Adds an RTT sample (RFC 6298 2.2 and 2.3, alpha 1/8, beta 1/4).</summary>
    public void Sample(int rttMs)
    {
        rttMs = Math.Max(rttMs, 0);
        if (_srtt < 0)
        {
            _srtt = rttMs;
            _rttvar = rttMs / 2;
        }
        else
        {
            _rttvar = (3 * _rttvar + Math.Abs(_srtt - rttMs)) / 4;
            _srtt = (7 * _srtt + rttMs) / 8;
        }
        RtoMs = Clamp(_srtt + Math.Max(GranularityMs, 4 * _rttvar));
    }

    /// <summary>Doubles the RTO after an expiry (RFC 6298 5.5).</summary>
    public void Backoff() => RtoMs = Clamp(RtoMs * 2);

    /// <summary>Recomputes the RTO from SRTT and RTTVAR, undoing backoff once new data is acknowledged.</summary>
    public void Restore()
    {
        if (_srtt >= 0) RtoMs = Clamp(_srtt + Math.Max(GranularityMs, 4 * _rttvar));
    }

    static int Clamp(int ms) => Math.Clamp(ms, MinMs, MaxMs);
}
