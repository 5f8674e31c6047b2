using System.Text.Json;
using k8s.Exceptions;
using k8s.KubeConfigModels;
using OneHop.Core.Sources.Manifests;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace OneHop.Core.Sources.Kubernetes;

/// <summary>
/// Reads a kubeconfig into KubernetesClient's own model (<see cref="K8SConfiguration"/>) without
/// <c>KubernetesYaml</c>, whose static constructor cannot run under Native AOT (it orders properties by
/// <c>MemberInfo.MetadataToken</c>). The YAML is written as JSON (<see cref="YamlJson"/>, as the AOT build reads
/// manifests) and each field is copied by the key KubernetesClient's model reads it from (its <c>YamlMember</c>
/// aliases). No serializer metadata: the model's <c>dynamic</c> extensions defeat the JSON source generator, and
/// reflection is what Native AOT lacks. Extensions and preferences are not read; building a client uses neither.
/// Both builds read kubeconfigs this way, so the one path is tested by both.
/// </summary>
internal static class KubeconfigFile
{
    /// <summary>
    /// The kubeconfig at <paramref name="path"/>, with relative certificate and key paths taken from its directory as
    /// KubernetesClient does (<see cref="K8SConfiguration.FileName"/>). Throws <see cref="YamlException"/> on bad YAML
    /// and <see cref="KubeConfigException"/> naming the field on one of the wrong shape.
    /// </summary>
    public static K8SConfiguration Read(string path)
    {
        var config = Parse(File.ReadAllText(path));
        config.FileName = Path.GetFullPath(path);
        return config;
    }

    /// <summary>The kubeconfig in <paramref name="yaml"/> (its first document); an empty one has no clusters.</summary>
    public static K8SConfiguration Parse(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        parser.Consume<StreamStart>();
        if (!parser.Accept<DocumentStart>(out _))
        {
            return new K8SConfiguration();
        }

        parser.MoveNext();
        var node = YamlNode.Read(parser);
        if (node.IsEmptyScalar)
        {
            return new K8SConfiguration();
        }

        using var json = JsonDocument.Parse(node.ToJson());
        var root = new Field(json.RootElement, string.Empty);
        root.RequireObject();
        return new K8SConfiguration
        {
            ApiVersion = root.String("apiVersion"),
            Kind = root.String("kind"),
            CurrentContext = root.String("current-context"),
            Clusters = root.List("clusters", c => new Cluster { Name = c.String("name"), ClusterEndpoint = c.Object("cluster", Endpoint) }),
            Contexts = root.List("contexts", c => new Context { Name = c.String("name"), ContextDetails = c.Object("context", Details) }),
            Users = root.List("users", u => new User { Name = u.String("name"), UserCredentials = u.Object("user", Credentials) }),
        };
    }

    /// <summary>
    /// The user of <paramref name="context"/> (else the current context) when it gets its credentials from an
    /// <c>exec</c> plugin, else null.
    /// </summary>
    public static string? PluginUser(K8SConfiguration config, string? context)
    {
        var name = context ?? config.CurrentContext;
        var user = config.Contexts.FirstOrDefault(c => c.Name == name)?.ContextDetails?.User;
        return config.Users.FirstOrDefault(u => u.Name == user)?.UserCredentials?.ExternalExecution is null ? null : user;
    }

    private static ClusterEndpoint Endpoint(Field c) => new()
    {
        Server = c.String("server"),
        CertificateAuthority = c.String("certificate-authority"),
        CertificateAuthorityData = c.String("certificate-authority-data"),
        TlsServerName = c.String("tls-server-name"),
        SkipTlsVerify = c.Bool("insecure-skip-tls-verify"),
    };

    private static ContextDetails Details(Field c) => new() { Cluster = c.String("cluster"), User = c.String("user"), Namespace = c.String("namespace") };

    private static UserCredentials Credentials(Field u) => new()
    {
        ClientCertificateData = u.String("client-certificate-data"),
        ClientCertificate = u.String("client-certificate"),
        ClientKeyData = u.String("client-key-data"),
        ClientKey = u.String("client-key"),
        Token = u.String("token"),
        Impersonate = u.String("as"),
        ImpersonateGroups = u.List("as-groups", g => g.Text()),
        ImpersonateUserExtra = u.Map("as-user-extra") ?? [],
        UserName = u.String("username"),
        Password = u.String("password"),
        AuthProvider = u.Object("auth-provider", p => new AuthProvider { Name = p.String("name"), Config = p.Map("config") }),
        ExternalExecution = u.Object("exec", Exec),
    };

    private static ExternalExecution Exec(Field e) => new()
    {
        ApiVersion = e.String("apiVersion"),
        Command = e.String("command"),
        EnvironmentVariables = e.Has("env") ? [.. e.List("env", v => v.Map() ?? [])] : null,
        Arguments = e.Has("args") ? [.. e.List("args", a => a.Text())] : null,
        InstallHint = e.String("installHint"),
        ProvideClusterInfo = e.Bool("provideClusterInfo"),
    };

    /// <summary>One value of the document and where it is (<c>users[0].user.exec</c>), for the error that names it.</summary>
    private readonly record struct Field(JsonElement Value, string Path)
    {
        public bool Has(string key) => Value.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null;

        public void RequireObject()
        {
            if (Value.ValueKind != JsonValueKind.Object)
            {
                throw new KubeConfigException($"{Where}: expected a mapping");
            }
        }

        public string? Text() => Value.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.String => Value.GetString(),
            _ => throw new KubeConfigException($"{Where}: expected a string"),
        };

        public string? String(string key) => Child(key) is { } f ? f.Text() : null;

        public bool Bool(string key) => Child(key)?.Text() switch
        {
            null => false,
            var text when bool.TryParse(text, out var value) => value,
            var text => throw new KubeConfigException($"{At(key)}: expected true or false, not \"{text}\""),
        };

        public T? Object<T>(string key, Func<Field, T> read)
            where T : class
        {
            if (Child(key) is not { } f)
            {
                return null;
            }

            f.RequireObject();
            return read(f);
        }

        public List<T> List<T>(string key, Func<Field, T> read)
        {
            if (Child(key) is not { } f)
            {
                return [];
            }

            if (f.Value.ValueKind != JsonValueKind.Array)
            {
                throw new KubeConfigException($"{f.Path}: expected a list");
            }

            var items = new List<T>();
            var i = 0;
            foreach (var item in f.Value.EnumerateArray())
            {
                items.Add(read(new Field(item, $"{f.Path}[{i++}]")));
            }

            return items;
        }

        public Dictionary<string, string>? Map(string key) => Child(key)?.Map();

        public Dictionary<string, string>? Map()
        {
            if (Value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            RequireObject();
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in Value.EnumerateObject())
            {
                map[property.Name] = new Field(property.Value, At(property.Name)).Text() ?? string.Empty;
            }

            return map;
        }

        private string Where => Path.Length == 0 ? "the document" : Path;

        private string At(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

        /// <summary>The value under <paramref name="key"/>, or null when it is absent or YAML null.</summary>
        private Field? Child(string key) =>
            Value.ValueKind == JsonValueKind.Object && Value.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null
                ? new Field(v, At(key))
                : null;
    }
}
