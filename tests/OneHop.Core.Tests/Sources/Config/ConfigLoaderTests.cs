using OneHop.Core.Configuration;
using OneHop.Core.Diagnostics;
using OneHop.Core.Sources.Config;

namespace OneHop.Core.Tests.Sources.Config;

public sealed class ConfigLoaderTests
{
    /// <summary>Control characters YAML forbids (YamlDotNet took a NUL for the end of the file and loaded what came before), and YAML its reader cannot take: found by the fuzz test.</summary>
    [Theory]
    [InlineData("admin:\n  address: 127.0.0.1:9000\0\n")]
    [InlineData("admin:\0\n  address: 127.0.0.1:9000\n")]
    [InlineData("\0admin: {}\n")]
    [InlineData("admin: {address: \"127.0.0.1:9000\"}\n\0")]
    [InlineData("listeners:\n  - \u0001\n")]
    [InlineData("ingress:\n  w*.*.example.comatchWithoutClass: true\n")]
    public void A_forbidden_control_character_is_reported_never_thrown(string text)
    {
        var result = ConfigLoader.Parse("onehop.yaml", text);

        Assert.Null(result.Config);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Equal(DiagnosticCodes.ConfigError, error.Code);
    }

    [Fact]
    public void An_empty_file_is_the_default_config()
    {
        var result = ConfigLoader.Parse("onehop.yaml", string.Empty);
        Assert.Equal(OneHopConfig.Default, result.Config);
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void A_full_config_is_read()
    {
        var result = ConfigLoader.Parse("onehop.yaml", """
            listeners:
              - name: public
                address: 0.0.0.0:80
              - address: "[::]:8080"
            admin:
              address: 127.0.0.1:9000
            ingress:
              className: edge
              watchWithoutClass: true
            defaults:
              loadBalancing: round-robin
              connectTimeout: 250ms
              requestTimeout: 30s
              upstreamIdleTimeout: 2m
            upstreams:
              - name: exchange
                scheme: https
                tlsInsecureSkipVerify: true
                endpoints:
                  - address: 10.0.0.5:443
                    weight: 3
                    zone: dc-1
                  - address: mail02.corp.example:443
            routes:
              - hosts: [mail.example.com]
                path: /owa
                pathType: Exact
                upstream: exchange
            defaultUpstream: exchange
            """);

        Assert.Empty(result.Diagnostics);
        var config = result.Config!;
        Assert.Equal(["public", "http-1"], config.Listeners.Select(l => l.Name));
        Assert.Equal(8080, config.Listeners[1].Address.Port);
        Assert.Equal(9000, config.Admin?.Port);
        Assert.Equal(new IngressSettings("edge", WatchWithoutClass: true), config.Ingress);
        Assert.Equal(TimeSpan.FromMilliseconds(250), config.Defaults.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMinutes(2), config.Defaults.UpstreamIdleTimeout);
        var exchange = Assert.Single(config.Upstreams);
        Assert.Equal(new UpstreamEndpointConfig("10.0.0.5", 443, 3, "dc-1"), exchange.Endpoints[0]);
        Assert.Equal(new UpstreamEndpointConfig("mail02.corp.example", 443), exchange.Endpoints[1]);
        Assert.Equal(PathMatchType.Exact, Assert.Single(config.Routes).PathType);
        Assert.Equal("exchange", config.DefaultUpstream);
    }

    [Fact]
    public void An_upstream_CA_bundle_is_read_relative_to_the_config_file_and_checked()
    {
        var directory = Directory.CreateTempSubdirectory("onehop-ca-").FullName;
        try
        {
            using var key = System.Security.Cryptography.ECDsa.Create();
            using var ca = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Internal CA", key, System.Security.Cryptography.HashAlgorithmName.SHA256)
                .CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
            File.WriteAllText(Path.Combine(directory, "ca.pem"), ca.ExportCertificatePem());
            File.WriteAllText(Path.Combine(directory, "empty.pem"), "not a certificate");
            File.WriteAllText(Path.Combine(directory, "onehop.yaml"), """
                upstreams:
                  - name: good
                    scheme: https
                    tlsCaFile: ca.pem
                    endpoints: [{address: "mail.corp.example:443"}]
                  - name: empty
                    scheme: https
                    tlsCaFile: empty.pem
                    endpoints: [{address: "mail.corp.example:443"}]
                  - name: missing
                    scheme: https
                    tlsCaFile: missing.pem
                    endpoints: [{address: "mail.corp.example:443"}]
                  - name: plain
                    tlsCaFile: ca.pem
                    endpoints: [{address: "mail.corp.example:80"}]
                """);

            var result = ConfigLoader.LoadFile(Path.Combine(directory, "onehop.yaml"));

            Assert.Null(result.Config);
            Assert.Equal(["upstreams[1].tlsCaFile", "upstreams[2].tlsCaFile", "upstreams[3].tlsCaFile"], result.Diagnostics.Select(d => d.Field));
            Assert.Contains("holds no PEM certificate", result.Diagnostics[0].Message, StringComparison.Ordinal);
            Assert.Contains("cannot read", result.Diagnostics[1].Message, StringComparison.Ordinal);
            Assert.Contains("only an https upstream", result.Diagnostics[2].Message, StringComparison.Ordinal);

            File.WriteAllText(Path.Combine(directory, "onehop.yaml"), """
                upstreams:
                  - name: good
                    scheme: https
                    tlsCaFile: ca.pem
                    endpoints: [{address: "mail.corp.example:443"}]
                """);
            var good = Assert.Single(ConfigLoader.LoadFile(Path.Combine(directory, "onehop.yaml")).Config!.Upstreams);
            Assert.Equal(ca.ExportCertificatePem(), good.TlsCaPem);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void An_upstreams_tls_server_name_is_a_DNS_name_for_an_https_upstream()
    {
        var good = ConfigLoader.Parse("onehop.yaml", "upstreams: [{name: mail, scheme: https, tlsServerName: Mail.Corp.Example, endpoints: [{address: \"10.0.0.5:443\"}]}]");
        var bad = ConfigLoader.Parse("onehop.yaml", """
            upstreams:
              - {name: a, scheme: https, tlsServerName: "not a name", endpoints: [{address: "10.0.0.5:443"}]}
              - {name: b, scheme: http, tlsServerName: mail.corp.example, endpoints: [{address: "10.0.0.5:80"}]}
            """);

        Assert.Empty(good.Diagnostics);
        Assert.Equal("mail.corp.example", Assert.Single(good.Config!.Upstreams).TlsServerName);
        Assert.Null(bad.Config);
        Assert.Equal(["upstreams[0].tlsServerName", "upstreams[1].tlsServerName"], bad.Diagnostics.Select(d => d.Field));
        Assert.Contains("is not a DNS name", bad.Diagnostics[0].Message, StringComparison.Ordinal);
        Assert.Contains("only an https upstream", bad.Diagnostics[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Admin_hosts_are_read_and_each_must_be_a_host_name_or_address()
    {
        var good = ConfigLoader.Parse("onehop.yaml", "admin: {hosts: [ops.example.com, \"10.0.0.21\", \"[fd00::1]\"]}");
        var bad = ConfigLoader.Parse("onehop.yaml", "admin: {hosts: [ops.example.com, \"not a name\"]}");

        Assert.Empty(good.Diagnostics);
        Assert.Equal(["ops.example.com", "10.0.0.21", "[fd00::1]"], good.Config!.AdminHosts);
        Assert.Equal("admin.hosts[1]", Assert.Single(bad.Diagnostics).Field);
    }

    [Fact]
    public void An_unknown_field_is_an_error_with_its_path_and_line()
    {
        var result = ConfigLoader.Parse("onehop.yaml", """
            upstreams:
              - name: a
                endpoints:
                  - adress: 10.0.0.1:80
            """);

        Assert.Null(result.Config);

        // The validator still sees the endpoint, without its address.
        Assert.Equal(["upstreams[0].endpoints[0].adress", "upstreams[0].endpoints[0].address"], result.Diagnostics.Select(d => d.Field));
        var error = result.Diagnostics[0];
        Assert.Equal(4, error.Origin?.Line);
        Assert.Contains("unknown field", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_unknown_field_and_wrong_kind_of_value_is_reported_in_one_run_with_its_line()
    {
        var result = ConfigLoader.Parse("onehop.yaml", """
            listners:
              - address: 0.0.0.0:80
            listeners:
              - address: 0.0.0.0:81
                maxConnections: lots
            upstreams:
              - name: a
                endpoints:
                  - adress: 10.0.0.1:80
                    weight: [1]
            limits: 5
            """);

        Assert.Null(result.Config);
        Assert.Equal(
            [("listners", 1, "unknown field"), ("listeners[0].maxConnections", 5, "'lots' is not a whole number"), ("upstreams[0].endpoints[0].adress", 9, "unknown field"),
                ("upstreams[0].endpoints[0].address", 9, "an endpoint needs an address, HOST:PORT"), ("upstreams[0].endpoints[0].weight", 10, "expected a value, not a list or a section"), ("limits", 11, "expected a section (field: value lines)")],
            result.Diagnostics.Select(d => (d.Field!, d.Origin!.Line!.Value, d.Message)));
    }

    [Fact]
    public void Unknown_fields_values_of_the_wrong_kind_and_invalid_values_are_all_reported_in_one_run_in_file_order()
    {
        var result = ConfigLoader.Parse("onehop.yaml", """
            listeners:
              - address: 0.0.0.0:8080
                bogus: 1
              - address: nonsense
                maxConnections: lots
            upstreams:
              - name: a
                scheme: ftp
                endpoints:
                  - address: 10.0.0.1:80
                    weight: [2]
                extra: x
            routes:
              - upstream: missing
            """);

        Assert.Null(result.Config);
        Assert.Equal(
            [
                ("listeners[0].bogus", 3, 5, "unknown field"),
                ("listeners[1].address", 4, 14, "'nonsense' is not ADDR:PORT, e.g. 0.0.0.0:8080 or [::]:8080"),
                ("listeners[1].maxConnections", 5, 21, "'lots' is not a whole number"),
                ("upstreams[0].scheme", 8, 13, "'ftp' is not http, https or h2c"),
                ("upstreams[0].endpoints[0].weight", 11, 17, "expected a value, not a list or a section"),
                ("upstreams[0].extra", 12, 5, "unknown field"),
                ("routes[0].upstream", 14, 15, "no upstream is named 'missing'"),
            ],
            result.Diagnostics.Select(d => (d.Field!, d.Origin!.Line!.Value, d.Origin.Column!.Value, d.Message)));
    }

    [Fact]
    public void A_refused_field_is_not_reported_again_by_the_checks_that_miss_it()
    {
        // Without its address (a list, refused) the listener would also be "missing an address"; and a null list item
        // put in place of a refused one keeps the later items' indexes.
        var result = ConfigLoader.Parse("onehop.yaml", """
            listeners:
              - address: [0.0.0.0:8080]
            upstreams:
              - [not, a, section]
              - name: b
                scheme: ftp
                endpoints: [{address: 10.0.0.1:80}]
            """);

        Assert.Equal(
            [("listeners[0].address", 2, 14), ("upstreams[0]", 4, 5), ("upstreams[1].scheme", 6, 13)],
            result.Diagnostics.Select(d => (d.Field!, d.Origin!.Line!.Value, d.Origin.Column!.Value)));
    }

    [Fact]
    public void A_file_that_is_not_a_section_is_one_error_with_its_place()
    {
        var result = ConfigLoader.Parse("onehop.yaml", "- listeners\n");

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((1, 1, "expected a section (field: value lines)"), (error.Origin!.Line, error.Origin.Column, error.Message));
    }

    [Fact]
    public void A_diagnostic_prints_its_file_line_and_column_once()
    {
        var result = ConfigLoader.Parse("onehop.yaml", "admin:\n  adress: 127.0.0.1:9901\n");

        Assert.Equal("error onehop.yaml (line 2, column 3) admin.adress: unknown field [ConfigError]", Assert.Single(result.Diagnostics).ToString());
    }

    [Fact]
    public void Findings_of_the_validator_carry_the_line_of_their_field()
    {
        var result = ConfigLoader.Parse("onehop.yaml", "upstreams:\n  - name: a\n    scheme: ftp\n    endpoints:\n      - address: 10.0.0.1\n");

        Assert.Equal([("upstreams[0].scheme", 3, 13), ("upstreams[0].endpoints[0].address", 5, 18)], result.Diagnostics.Select(d => (d.Field!, d.Origin!.Line!.Value, d.Origin.Column!.Value)));
    }

    [Fact]
    public void Every_invalid_value_is_reported_at_once()
    {
        var result = ConfigLoader.Parse("onehop.yaml", """
            listeners:
              - address: 0.0.0.0
            defaults:
              loadBalancing: fastest
              connectTimeout: soon
            upstreams:
              - name: a
                scheme: ftp
                endpoints:
                  - address: 10.0.0.1:99999
                  - address: "bad host:80"
                    weight: 0
              - name: a
                endpoints: [{address: 10.0.0.2:80}]
              - endpoints: []
            routes:
              - hosts: ["*.*.bad"]
                path: relative
                pathType: Regex
                upstream: missing
            defaultUpstream: nope
            """);

        Assert.Null(result.Config);
        string[] expected =
        [
            "defaultUpstream", "defaults.connectTimeout", "defaults.loadBalancing", "listeners[0].address",
            "routes[0].hosts[0]", "routes[0].path", "routes[0].pathType", "routes[0].upstream", "upstreams[0].endpoints[0].address",
            "upstreams[0].endpoints[1].address", "upstreams[0].endpoints[1].weight", "upstreams[0].scheme", "upstreams[1].name",
            "upstreams[2].name",
        ];
        Assert.Equal(expected, result.Diagnostics.Select(d => d.Field!).Order(StringComparer.Ordinal));
        Assert.All(result.Diagnostics, d => Assert.Equal(DiagnosticCodes.ConfigError, d.Code));
    }

    [Fact]
    public void Null_list_items_are_errors_with_their_path()
    {
        var result = ConfigLoader.Parse("onehop.yaml", """
            listeners:
              - null
              - address: 0.0.0.0:8080
                proxyProtocol: {trustedCidrs: [null]}
            tls:
              certificates: [null]
            upstreams:
              - null
              - name: a
                endpoints: [null, {address: 10.0.0.1:80}]
            routes:
              - null
              - {hosts: [null], upstream: a}
            """);

        Assert.Null(result.Config);
        string[] expected =
        [
            "listeners[0]", "listeners[1].proxyProtocol.trustedCidrs[0]", "routes[0]", "routes[1].hosts[0]", "tls.certificates[0]",
            "upstreams[0]", "upstreams[1].endpoints[0]",
        ];
        Assert.Equal(expected, result.Diagnostics.Select(d => d.Field!).Order(StringComparer.Ordinal));
        Assert.All(result.Diagnostics, d => Assert.Contains("null", d.Message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("defaults:\n  requestTimeout: 99999999999h\n", "defaults.requestTimeout")]
    [InlineData("defaults:\n  slowStart: 99999999999h\n", "defaults.slowStart")]
    [InlineData("limits:\n  keepAliveTimeout: 1e308s\n", "limits.keepAliveTimeout")]
    [InlineData("limits:\n  maxRequestBodySize: 99999999999999999999999GiB\n", "limits.maxRequestBodySize")]
    [InlineData("limits:\n  maxRequestBodySize: NaN\n", "limits.maxRequestBodySize")]
    public void Values_out_of_range_are_errors_not_crashes(string text, string field)
    {
        var result = ConfigLoader.Parse("onehop.yaml", text);
        Assert.Null(result.Config);
        Assert.Equal(field, Assert.Single(result.Diagnostics).Field);
    }

    [Fact]
    public void Nesting_beyond_the_limit_is_an_error_with_a_line()
    {
        var result = ConfigLoader.Parse("onehop.yaml", "upstreams:\n  - name: a\n    endpoints: " + new string('[', 50_000) + new string(']', 50_000) + "\n");
        Assert.Null(result.Config);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(3, error.Origin?.Line);
        Assert.Contains("nesting deeper than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_over_the_size_limit_is_refused()
    {
        var result = ConfigLoader.Parse("onehop.yaml", "# " + new string('x', ConfigLoader.MaxLength));
        Assert.Null(result.Config);
        Assert.Equal(DiagnosticCodes.TooLarge, Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void Two_routes_for_the_same_host_and_path_are_an_error()
    {
        var result = ConfigLoader.Parse("onehop.yaml", """
            upstreams: [{name: a, endpoints: [{address: 10.0.0.1:80}]}]
            routes:
              - {name: first, hosts: [x.example.com, y.example.com], path: /app, upstream: a}
              - {name: second, hosts: [y.example.com], path: /app, pathType: ImplementationSpecific, upstream: a}
              - {name: exact, hosts: [y.example.com], path: /app, pathType: Exact, upstream: a}
            """);

        Assert.Null(result.Config);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("routes[1]", error.Field);
        Assert.Contains("already routed by route first", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_yaml_is_an_error_with_a_position()
    {
        var result = ConfigLoader.Parse("onehop.yaml", "upstreams: [\n");
        Assert.Null(result.Config);
        Assert.Equal(DiagnosticCodes.ConfigError, Assert.Single(result.Diagnostics).Code);
    }
}
