namespace OneHop.Core.Routing;

/// <summary>What an endpoint may be used for, from its EndpointSlice conditions.</summary>
internal enum EndpointState
{
    /// <summary><c>ready</c>: takes new traffic.</summary>
    Ready,

    /// <summary><c>serving</c> and <c>terminating</c>: takes new traffic only when no ready endpoint is left.</summary>
    Terminating,
}
