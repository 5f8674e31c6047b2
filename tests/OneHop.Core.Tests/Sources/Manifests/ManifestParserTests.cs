using System.Text;
using k8s.Models;
using OneHop.Core.Diagnostics;
using OneHop.Core.Sources.Manifests;

namespace OneHop.Core.Tests.Sources.Manifests;

public sealed class ManifestParserTests
{
    [Fact]
    public void A_nul_in_a_file_is_an_error_not_the_silent_end_of_it()
    {
        // YamlDotNet reads a NUL as the end of the stream: the Service after it would vanish without a word.
        var result = ManifestParser.Parse("cut.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: a}\n\0---\napiVersion: v1\nkind: Service\nmetadata: {name: b}\n");

        Assert.True(result.Failed);
        var error = Assert.Single(result.Diagnostics);
        Assert.StartsWith("the character U+0000 is not allowed in YAML", error.Message, StringComparison.Ordinal);
        Assert.Equal((4, 1), (error.Origin!.Line, error.Origin.Column));
    }

    [Fact]
    public void Multi_document_yaml_keeps_document_index_and_line()
    {
        var result = ManifestParser.Parse("two.yaml", """
            apiVersion: v1
            kind: Service
            metadata:
              name: a
            ---
            # comment
            apiVersion: v1
            kind: Service
            metadata:
              name: b
              namespace: shop
            """);

        Assert.False(result.Failed);
        Assert.Collection(
            result.Objects,
            a =>
            {
                Assert.Equal("a", a.Object.Metadata.Name);
                Assert.Equal("default", a.Object.Metadata.NamespaceProperty);
                Assert.Equal((1, 1), (a.Origin.Document, a.Origin.Line));
            },
            b =>
            {
                Assert.Equal("shop", b.Object.Metadata.NamespaceProperty);
                Assert.Equal((2, 7), (b.Origin.Document, b.Origin.Line));
            });
    }

    [Fact]
    public void Documents_are_numbered_from_one_as_an_editor_counts_them_empty_ones_included()
    {
        var result = ManifestParser.Parse("three.yaml", "---\n# nothing yet\n---\napiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Service\n");

        Assert.Equal(2, Assert.Single(result.Objects).Origin.Document);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(3, error.Origin!.Document);
        Assert.StartsWith("error document 3 of three.yaml (line 8)", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_syntax_error_prints_its_line_and_column_once()
    {
        var result = ManifestParser.Parse("bad.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: 'a\n");

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((1, 4, 9), (error.Origin!.Document, error.Origin.Line, error.Origin.Column));
        Assert.DoesNotContain("line", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("error document 1 of bad.yaml (line 4, column 9): YAML syntax error: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Cluster_scoped_kinds_have_no_namespace()
    {
        var result = ManifestParser.Parse("class.yaml", """
            apiVersion: networking.k8s.io/v1
            kind: IngressClass
            metadata:
              name: onehop
              namespace: ignored
            spec:
              controller: onehop.dev/ingress-controller
            """);

        Assert.Null(Assert.Single(result.Objects).Object.Metadata.NamespaceProperty);
    }

    [Fact]
    public void Tls_secrets_are_read_with_their_data_decoded_and_other_secrets_skipped()
    {
        var result = ManifestParser.Parse("secrets.yaml", """
            apiVersion: v1
            kind: Secret
            metadata:
              name: site
            type: kubernetes.io/tls
            data:
              tls.crt: Y2VydA==
              tls.key: a2V5
            ---
            apiVersion: v1
            kind: Secret
            metadata:
              name: password
            type: Opaque
            data:
              password: c2VjcmV0
            """);

        var secret = Assert.IsType<V1Secret>(Assert.Single(result.Objects).Object);
        Assert.Equal("cert", Encoding.UTF8.GetString(secret.Data["tls.crt"]));
        Assert.Equal("password", Assert.Single(result.Skipped).Name);
    }

    [Fact]
    public void A_list_in_flow_style_is_read_item_by_item()
    {
        var result = ManifestParser.Parse("list.yaml", """
            apiVersion: v1
            kind: List
            items: [{apiVersion: v1, kind: Service, metadata: {name: one}}, {apiVersion: v1, kind: Service, metadata: {name: two}}]
            """);

        Assert.Equal(["one", "two"], result.Objects.Select(o => o.Object.Metadata.Name));
    }

    [Fact]
    public void A_bad_field_is_reported_with_its_path_and_line()
    {
        var result = ManifestParser.Parse("slice.yaml", """
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata:
              name: web
            addressType: IPv4
            endpoints:
              - addresses: ["10.0.0.1"]
                conditions:
                  ready: maybe
            """);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.InvalidObject, error.Code);
        Assert.Equal("endpoints[0].conditions.ready", error.Field);
        Assert.Equal(9, error.Origin?.Line);
        Assert.True(result.Failed);
    }

    [Fact]
    public void A_syntax_error_fails_the_file()
    {
        var result = ManifestParser.Parse("bad.yaml", "apiVersion: v1\nkind: Service\n  metadata: [\n");
        Assert.True(result.Failed);
        Assert.Equal(DiagnosticCodes.ParseError, Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void A_repeated_key_fails_the_file_with_its_place()
    {
        var result = ManifestParser.Parse("ingress.yaml", """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: shop}
            spec:
              rules: [{host: shop.example.com}]
            spec:
              defaultBackend: {service: {name: web, port: {number: 80}}}
            """);

        Assert.True(result.Failed);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.ParseError, error.Code);
        Assert.Equal(6, error.Origin?.Line);
        Assert.Contains("duplicate key 'spec' in the top level", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_repeated_key_deeper_down_names_its_mapping()
    {
        var result = ManifestParser.Parse("svc.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  ports:\n    - {port: 80, port: 81}\n");
        Assert.Contains("duplicate key 'port' in spec.ports[0]", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_repeated_json_property_fails_the_file()
    {
        var result = ManifestParser.Parse("svc.json", """{"apiVersion":"v1","kind":"Service","metadata":{"name":"j"},"spec":{"ports":[]},"spec":{}}""");
        Assert.True(result.Failed);
        Assert.Equal(DiagnosticCodes.ParseError, Assert.Single(result.Diagnostics).Code);
    }

    [Theory]
    [InlineData("[", "]")]
    [InlineData("{a: ", "}")]
    [InlineData("- ", "")]
    public void Nesting_beyond_the_limit_is_refused_quickly(string open, string close)
    {
        // 64,000 levels once cost 11.6 s of CPU; reading now stops at level 64, whatever follows.
        var depth = 64_000;
        var text = "apiVersion: v1\nkind: Service\nmetadata: {name: deep}\nspec: " + string.Concat(Enumerable.Repeat(open, depth)) + "x" + string.Concat(Enumerable.Repeat(close, depth));
        if (open == "- ")
        {
            text = "apiVersion: v1\nkind: Service\nmetadata: {name: deep}\nspec:\n" + string.Concat(Enumerable.Range(0, 200).Select(i => new string(' ', i * 2) + "- \n")) + "x\n";
        }

        var result = ManifestParser.Parse("deep.yaml", text);

        Assert.True(result.Failed);
        Assert.Contains($"nesting deeper than {YamlStructure.MaxDepth} levels", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Aliases_that_expand_exponentially_are_refused()
    {
        var lines = new List<string> { "apiVersion: v1", "kind: Service", "metadata: {name: laughs}", "x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]" };
        for (var i = 1; i < 10; i++)
        {
            lines.Add($"x{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]");
        }

        var result = ManifestParser.Parse("laughs.yaml", string.Join('\n', lines) + "\n");

        Assert.True(result.Failed);
        Assert.Contains($"aliases expand to more than {YamlStructure.MaxAliasExpansion} nodes", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_few_aliases_are_read()
    {
        var result = ManifestParser.Parse("svc.yaml", """
            apiVersion: v1
            kind: Service
            metadata:
              name: web
              labels: &labels {app: web, tier: front}
              annotations: *labels
            spec:
              ports: [{port: 80}]
            """);

        var service = Assert.IsType<V1Service>(Assert.Single(result.Objects).Object);
        Assert.Equal("front", service.Metadata.Annotations["tier"]);
    }

    [Theory]
    [InlineData("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"j"},"spec":{"ports":[{"port":80,"targetPort":{}}]}}""", "spec.ports[0].targetPort")]
    [InlineData("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"j","creationTimestamp":"yesterday"}}""", null)]
    public void Json_values_the_model_cannot_hold_are_reported_not_thrown(string json, string? field)
    {
        // KubernetesJson throws NotSupportedException and FormatException for these, which once escaped the parser.
        var error = Assert.Single(ManifestParser.Parse("svc.json", json).Diagnostics);
        Assert.Equal(DiagnosticCodes.InvalidObject, error.Code);
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void Json_nesting_beyond_the_limit_is_a_parse_error()
    {
        var result = ManifestParser.Parse("deep.json", "{\"a\":" + string.Concat(Enumerable.Repeat("[", 64_000)) + string.Concat(Enumerable.Repeat("]", 64_000)) + "}");
        Assert.Equal(DiagnosticCodes.ParseError, Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void Json_files_are_read_with_KubernetesJson()
    {
        var result = ManifestParser.Parse("svc.json", """{"apiVersion":"v1","kind":"Service","metadata":{"name":"j"},"spec":{"ports":[{"port":80,"targetPort":"http"}]}}""");
        var service = Assert.IsType<V1Service>(Assert.Single(result.Objects).Object);
        Assert.Equal("http", service.Spec.Ports[0].TargetPort.Value);
    }

    [Fact]
    public void Invalid_json_is_a_parse_error_with_a_line()
    {
        var result = ManifestParser.Parse("svc.json", "{\n  \"apiVersion\": \"v1\",\n  oops\n}");
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.ParseError, error.Code);
        Assert.Equal(3, error.Origin?.Line);
    }

    [Theory]
    [InlineData("a.yaml", true)]
    [InlineData("a.yml", true)]
    [InlineData("a.JSON", true)]
    [InlineData(".a.yaml.swp", false)]
    [InlineData(".hidden.yaml", false)]
    [InlineData("notes.txt", false)]
    public void Only_manifest_files_are_read(string name, bool expected) => Assert.Equal(expected, ManifestParser.IsManifestFile(name));
}
