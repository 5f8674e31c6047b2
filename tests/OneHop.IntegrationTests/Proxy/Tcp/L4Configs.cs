namespace OneHop.IntegrationTests.Proxy.Tcp;

/// <summary>Config files the L4 tests share.</summary>
internal static class L4Configs
{
    /// <summary>An HTTP listener (OneHopInstance's clients need one) and tcp listener <c>echo</c> to Service default/echo port 80.</summary>
    public const string Echo = """
        listeners:
          - name: http
            address: 127.0.0.1:0
          - name: echo
            address: 127.0.0.1:0
            protocol: tcp
            service: default/echo:80
        """;
}
