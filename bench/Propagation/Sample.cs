namespace Propagation;

/// <summary>
/// One measured change. <see cref="UpperMs"/>: from the API write returning to the first answer from the new pod
/// (the figure reported). <see cref="LowerMs"/>: to the sending of the last request still answered by the old pod;
/// the new routes went live between the two, so their gap is the polling's resolution for this change.
/// </summary>
internal sealed record Sample(bool Measured, double UpperMs, double LowerMs, int Polls, int Errors, bool Lost);
