using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Spotalis.Operator.Webhook.Admission;

/// <summary>
/// A <see cref="Utf8JsonWriter"/> and its growable buffer, kept per thread by the admission hot path so that writing a
/// patch or a response allocates nothing but the final bytes. One document at a time: <see cref="Start"/> discards the
/// previous one, so callers copy what they keep before the thread writes again.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "The writer only flushes into a managed buffer; it lives as long as its thread.")]
internal sealed class ReusableJsonBuffer
{
    private const int InitialBytes = 1024;

    // A buffer grown by an unusually large pod is dropped rather than kept for the thread's lifetime.
    private const int RetainedBytes = 64 * 1024;

    private readonly Utf8JsonWriter _writer;
    private ArrayBufferWriter<byte> _buffer = new(InitialBytes);

    public ReusableJsonBuffer() => _writer = new Utf8JsonWriter(_buffer);

    public Utf8JsonWriter Start()
    {
        if (_buffer.Capacity > RetainedBytes)
        {
            _buffer = new ArrayBufferWriter<byte>(InitialBytes);
        }
        else
        {
            _buffer.ResetWrittenCount();
        }

        _writer.Reset(_buffer);
        return _writer;
    }

    /// <summary>The finished document; valid until the next <see cref="Start"/> on this instance.</summary>
    public ReadOnlySpan<byte> Finish()
    {
        _writer.Flush();
        return _buffer.WrittenSpan;
    }
}
