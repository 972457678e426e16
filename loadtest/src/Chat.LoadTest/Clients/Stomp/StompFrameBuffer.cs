using System.Text;

namespace Chat.LoadTest.Clients.Stomp;

/// <summary>
/// Collects WebSocket messages into STOMP frames: a frame may span messages and a message may hold several
/// frames; each frame ends with NUL, and bare end-of-lines between frames are heart-beats.
/// </summary>
public sealed class StompFrameBuffer
{
    private readonly StringBuilder _pending = new();

    public IEnumerable<StompFrame> Append(string text)
    {
        _pending.Append(text);
        var frames = new List<StompFrame>();
        while (true)
        {
            var content = _pending.ToString();
            var end = content.IndexOf('\0');
            if (end < 0)
            {
                // Heart-beats alone carry nothing to keep.
                if (content.AsSpan().TrimStart("\r\n").IsEmpty)
                {
                    _pending.Clear();
                }

                return frames;
            }

            if (StompFrame.Parse(content[..end]) is { } frame)
            {
                frames.Add(frame);
            }

            _pending.Remove(0, end + 1);
        }
    }
}
