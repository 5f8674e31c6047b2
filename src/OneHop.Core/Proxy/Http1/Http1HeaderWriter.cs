using System.Buffers;
using System.Buffers.Text;
using System.Net;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace OneHop.Core.Proxy.Http1;

/// <summary>
/// Writes header lines straight into the upstream connection's send buffer, characters as Latin-1 bytes (the
/// encoding Kestrel decoded them with, so a byte above 0x7F goes out as it came in). A value that would break the
/// head — CR, LF or NUL, or a character with no Latin-1 byte — or a name that is not a token is not written: the
/// writer turns invalid and the request is refused as <c>Unforwardable</c> before anything is sent.
/// </summary>
internal ref struct Http1HeaderWriter
{
    // SearchValues, not ContainsAnyExceptInRange: the generic range search boxed every char (seen in allocation traces).
    private static readonly SearchValues<char> Latin1Chars = SearchValues.Create(string.Concat(Enumerable.Range(0, 0x100).Select(c => (char)c)));

    private readonly IBufferWriter<byte> _output;
    private Span<byte> _span;
    private int _buffered;
    private bool _invalid;

    internal Http1HeaderWriter(IBufferWriter<byte> output)
    {
        _output = output;
        _span = output.GetSpan();
    }

    /// <summary>False once a name or value could not be written as it was given.</summary>
    public readonly bool IsValid => !_invalid;

    /// <summary>One header line.</summary>
    public void Write(string name, ReadOnlySpan<char> value)
    {
        Start(name);
        Append(value);
        End();
    }

    /// <summary>One line per value, as a repeated header arrived.</summary>
    public void Write(string name, StringValues values)
    {
        foreach (var value in values)
        {
            Write(name, value);
        }
    }

    /// <summary>Starts a header line with its name; follow with <c>Append</c> calls and <see cref="End"/>.</summary>
    public void Start(string name)
    {
        if (!Http1Syntax.IsToken(name))
        {
            _invalid = true;
            return;
        }

        Latin1(name);
        Raw(": "u8);
    }

    /// <summary>Appends text to the value.</summary>
    public void Append(ReadOnlySpan<char> text)
    {
        if (text.ContainsAny('\r', '\n', '\0') || text.ContainsAnyExcept(Latin1Chars))
        {
            _invalid = true;
            return;
        }

        Latin1(text);
    }

    /// <summary>Appends a number in decimal.</summary>
    public void Append(long number)
    {
        Ensure(20);
        Utf8Formatter.TryFormat(number, _span[_buffered..], out var written);
        _buffered += written;
    }

    /// <summary>Appends an address in its usual text form (IPv6 without brackets).</summary>
    public void Append(IPAddress address)
    {
        Ensure(64);
        address.TryFormat(_span[_buffered..], out var written);
        _buffered += written;
    }

    /// <summary>Ends the header line.</summary>
    public void End() => Raw("\r\n"u8);

    /// <summary>Bytes as they are (the request line's fixed parts, CRLFs).</summary>
    internal void Raw(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            Ensure(1);
            var n = Math.Min(bytes.Length, _span.Length - _buffered);
            bytes[..n].CopyTo(_span[_buffered..]);
            _buffered += n;
            bytes = bytes[n..];
        }
    }

    /// <summary>Characters already known to be Latin-1 (what Kestrel decoded), one byte each.</summary>
    internal void Latin1(ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            Ensure(1);
            var n = Math.Min(text.Length, _span.Length - _buffered);
            Encoding.Latin1.GetBytes(text[..n], _span[_buffered..]);
            _buffered += n;
            text = text[n..];
        }
    }

    /// <summary>Marks the head unwritable (a request line part that cannot be sent).</summary>
    internal void Invalidate() => _invalid = true;

    /// <summary>Hands what was written to the buffer writer.</summary>
    internal void Commit()
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
            _buffered = 0;
            _span = default;
        }
    }

    private void Ensure(int bytes)
    {
        if (_span.Length - _buffered >= bytes)
        {
            return;
        }

        Commit();
        _span = _output.GetSpan(Math.Max(bytes, 512));
    }
}
