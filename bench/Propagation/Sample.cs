namespace Propagation;

/// <summary>
/// One measured change. <see cref="UpperMs"/>: from the API write returning to the first answer from the new pod
/// (the figure reported). <see cref="LowerMs"/>: to the sending of the last request still answered by the old pod;
/// the new routes went live between the two, so their gap is the polling's resolution for this change.
/// <see cref="SlowestPollMs"/>: the longest single request through OneHop while waiting (a data-plane stall).
/// <see cref="WrittenAt"/>: seconds from the first change to this one's write.
/// </summary>
internal sealed record Sample(bool Measured, double WrittenAt, double UpperMs, double LowerMs, int Polls, int Errors, bool Lost, double SlowestPollMs)
{
    public const string CsvHeader = "measured,written_at_s,upper_ms,lower_ms,polls,errors,lost,slowest_poll_ms";

    public string ToCsv() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"{(Measured ? 1 : 0)},{WrittenAt:0.000},{UpperMs:0.00},{LowerMs:0.00},{Polls},{Errors},{(Lost ? 1 : 0)},{SlowestPollMs:0.00}");
}
