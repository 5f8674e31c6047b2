using System.Globalization;
using System.Text;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Proxy.Http1;

/// <summary>One case of the corpus: the requests sent on one connection (several: pipelined), and how it ends.</summary>
internal sealed record DifferentialCase(int Id, IReadOnlyList<string> Requests, IReadOnlyList<string> Methods, bool ClientAborts)
{
    public string Wire => string.Concat(Requests);

    public override string ToString() => $"case {Id}: {string.Join(" | ", Requests.Select(r => r.Length > 200 ? r[..200] + "..." : r))}";
}

/// <summary>
/// A generated corpus of requests (methods, header shapes and sizes, Content-Length / chunked / empty / large bodies,
/// pipelined requests, upgrades, client aborts) and the pod's answer to each, decided from the request's path alone so
/// that two pods answer two proxies alike (status, header shapes, Content-Length / chunked / until-close / no body).
/// </summary>
internal static class DifferentialCorpus
{
    private static readonly string[] Methods = ["GET", "GET", "GET", "POST", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

    public static List<DifferentialCase> Generate(int count, int seed)
    {
        var random = new Random(seed);
        var cases = new List<DifferentialCase>();
        for (var id = 0; id < count; id++)
        {
            if (id % 12 == 5)
            {
                // Pipelined: three requests in one write, the last one closing.
                var requests = new List<string>();
                var methods = new List<string>();
                for (var n = 0; n < 3; n++)
                {
                    var method = n == 1 ? "POST" : "GET";
                    methods.Add(method);
                    requests.Add(Request(random, id, n, method, close: n == 2, bodyKind: n == 1 ? 2 : 0));
                }

                cases.Add(new DifferentialCase(id, requests, methods, false));
            }
            else if (id % 25 == 7)
            {
                cases.Add(new DifferentialCase(id, [Upgrade(id)], ["GET"], false));
            }
            else if (id % 20 == 11)
            {
                // The client sends its request and leaves without reading: what follows must not suffer from it.
                cases.Add(new DifferentialCase(id, [Request(random, id, 0, "GET", close: false, bodyKind: 0)], ["GET"], true));
            }
            else
            {
                var method = Methods[random.Next(Methods.Length)];
                var bodyKind = method is "POST" or "PUT" or "PATCH" ? random.Next(1, 6) : (random.Next(8) == 0 ? 2 : 0);
                cases.Add(new DifferentialCase(id, [Request(random, id, 0, method, close: true, bodyKind)], [method], false));
            }
        }

        return cases;
    }

    /// <summary>The pod's answer to a request of the corpus (from its path, /d/ID/N).</summary>
    public static PodAnswer Answer(string request)
    {
        var path = request[(request.IndexOf(' ', StringComparison.Ordinal) + 1)..request.IndexOf(" HTTP/1.1", StringComparison.Ordinal)];
        var parts = path.Split('?')[0].Split('/');
        var id = int.Parse(parts[2], CultureInfo.InvariantCulture);
        var n = int.Parse(parts[3], CultureInfo.InvariantCulture);
        var head = request.StartsWith("HEAD ", StringComparison.Ordinal);
        if (request.Contains("\r\nUpgrade: websocket\r\n", StringComparison.Ordinal))
        {
            return PodAnswer.Raw("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\ntunnelled bytes after the 101", PodThen.Close);
        }

        var random = new Random((id * 7) + n);
        var extra = new StringBuilder();
        extra.Append("Content-Type: text/plain; charset=utf-8\r\n");
        if (random.Next(3) == 0)
        {
            extra.Append("Set-Cookie: a=1; Path=/\r\nSet-Cookie: b=2; HttpOnly\r\n");
        }

        if (random.Next(4) == 0)
        {
            extra.Append("X-Long: ").Append('v', random.Next(100, 4000)).Append("\r\n");
        }

        if (random.Next(5) == 0)
        {
            extra.Append("X-Latin1: caf\u00e9\r\nVary: Accept-Encoding\r\nCache-Control: no-store\r\n");
        }

        var body = Body(random, random.Next(4) == 0 ? random.Next(10_000, 300_000) : random.Next(0, 2000));
        var keep = PodThen.KeepAlive;
        return (random.Next(10), head) switch
        {
            (0, _) => PodAnswer.Raw($"HTTP/1.1 204 No Content\r\n{extra}\r\n", keep),
            (1, _) => PodAnswer.Raw($"HTTP/1.1 304 Not Modified\r\nETag: \"abc\"\r\n{extra}\r\n", keep),
            (2, false) => PodAnswer.Raw($"HTTP/1.1 200 OK\r\n{extra}Connection: close\r\n\r\n{body}", PodThen.Close),
            (3, false) => PodAnswer.Raw($"HTTP/1.1 200 OK\r\n{extra}Transfer-Encoding: chunked\r\n\r\n{Chunked(random, body)}", keep),
            (4, _) => PodAnswer.Raw($"HTTP/1.1 201 Created\r\nLocation: /d/{id}/created\r\n{extra}Content-Length: 0\r\n\r\n", keep),
            (5, _) => PodAnswer.Raw($"HTTP/1.1 404 Not Found\r\n{extra}Content-Length: 10\r\n\r\n{(head ? string.Empty : "not found\n")}", keep),
            (6, _) => PodAnswer.Raw($"HTTP/1.1 500 Internal Server Error\r\n{extra}Content-Length: 6\r\n\r\n{(head ? string.Empty : "oops!\n")}", keep),
            (7, _) => PodAnswer.Raw($"HTTP/1.1 301 Moved Permanently\r\nLocation: https://example.com/{id}\r\n{extra}Content-Length: 0\r\n\r\n", keep),
            _ => PodAnswer.Raw($"HTTP/1.1 200 OK\r\n{extra}Content-Length: {body.Length}\r\n\r\n{(head ? string.Empty : body)}", keep),
        };
    }

    private static string Request(Random random, int id, int n, string method, bool close, int bodyKind)
    {
        var head = new StringBuilder();
        head.Append(method).Append(" /d/").Append(id).Append('/').Append(n);
        if (random.Next(3) == 0)
        {
            head.Append("?q=a%20b+c&x=").Append(random.Next()).Append("&e=%C3%A9&t=~!*'()");
        }

        head.Append(" HTTP/1.1\r\nHost: app\r\n");
        var fields = random.Next(0, 14);
        for (var f = 0; f < fields; f++)
        {
            head.Append(random.Next(6) switch
            {
                0 => $"X-Header-{f}: {Token(random, random.Next(1, 40))}\r\n",
                1 => $"x-MiXeD-{f}: value with spaces and \"quotes\"\r\n",
                2 => "X-Dup: one\r\nX-Dup: two\r\n",
                3 => $"X-Big-{f}: {new string('b', random.Next(1000, 3000))}\r\n",
                4 => $"X-Empty-{f}:\r\n",
                _ => $"Accept: text/html, application/json;q=0.9\r\nUser-Agent: corpus/{f}\r\nCookie: s={Token(random, 16)}; t=2\r\n",
            });
        }

        if (random.Next(6) == 0)
        {
            head.Append("X-Latin1: na\u00efve\r\n");
        }

        var body = bodyKind switch
        {
            1 => string.Empty,
            2 => Body(random, random.Next(1, 3000)),
            3 => Body(random, random.Next(100_000, 600_000)),
            _ => null,
        };
        var chunked = bodyKind is 4 or 5;
        if (chunked)
        {
            body = Body(random, bodyKind == 4 ? random.Next(1, 5000) : random.Next(50_000, 200_000));
            head.Append("Transfer-Encoding: chunked\r\n");
        }
        else if (body is not null)
        {
            head.Append("Content-Length: ").Append(body.Length).Append("\r\n");
        }

        if (close)
        {
            head.Append("Connection: close\r\n");
        }

        head.Append("\r\n");
        return head + (chunked ? Chunked(random, body!) : body ?? string.Empty);
    }

    private static string Upgrade(int id) =>
        $"GET /d/{id}/0 HTTP/1.1\r\nHost: app\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    private static string Chunked(Random random, string body)
    {
        var wire = new StringBuilder();
        for (var at = 0; at < body.Length;)
        {
            var size = Math.Min(body.Length - at, random.Next(1, 70_000));
            wire.Append(size.ToString("x", CultureInfo.InvariantCulture)).Append("\r\n").Append(body, at, size).Append("\r\n");
            at += size;
        }

        return wire.Append("0\r\n\r\n").ToString();
    }

    private static string Body(Random random, int length)
    {
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append((char)random.Next(32, 127));
        }

        return text.ToString();
    }

    private static string Token(Random random, int length)
    {
        const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~";
        return string.Create(length, random, static (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[r.Next(Alphabet.Length)];
            }
        });
    }
}
