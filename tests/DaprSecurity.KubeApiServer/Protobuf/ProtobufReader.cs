namespace DaprSecurity.KubeApiServer.Protobuf;

/// <summary>Reads protobuf wire format: varints, length-delimited fields, and skips the fixed-width ones.</summary>
internal ref struct ProtobufReader(ReadOnlySpan<byte> buffer)
{
    private readonly ReadOnlySpan<byte> _buffer = buffer;
    private int _position;

    public readonly bool AtEnd => _position >= _buffer.Length;

    public (int Field, int WireType) ReadTag()
    {
        var tag = ReadVarint();
        return ((int)(tag >> 3), (int)(tag & 7));
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = Next();
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
        throw new FormatException("malformed varint");
    }

    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        var length = checked((int)ReadVarint());
        if (length < 0 || _position + length > _buffer.Length)
        {
            throw new FormatException("length-delimited field runs past the end of the message");
        }
        var slice = _buffer.Slice(_position, length);
        _position += length;
        return slice;
    }

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0:
                ReadVarint();
                break;
            case 1:
                Advance(8);
                break;
            case 2:
                ReadLengthDelimited();
                break;
            case 5:
                Advance(4);
                break;
            default:
                throw new FormatException($"unsupported wire type {wireType}");
        }
    }

    private byte Next()
    {
        if (_position >= _buffer.Length)
        {
            throw new FormatException("unexpected end of message");
        }
        return _buffer[_position++];
    }

    private void Advance(int count)
    {
        if (_position + count > _buffer.Length)
        {
            throw new FormatException("unexpected end of message");
        }
        _position += count;
    }
}
