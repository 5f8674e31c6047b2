namespace OneHop.Core.Control;

/// <summary>Work only the elected replica does (writing status, recording Events), run by <see cref="LeaderElection"/>.</summary>
internal interface ILeaderTask
{
    /// <summary>Runs until <paramref name="leading"/> is cancelled, when this replica stops leading or shuts down.</summary>
    Task RunWhileLeadingAsync(CancellationToken leading);
}
