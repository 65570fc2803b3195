using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace DaprSecurity.KubeApiServer.Storage;

/// <summary>Decides which stored objects a watch sees; called under the store lock.</summary>
public delegate bool ObjectFilter(ObjectKey key, JsonObject node);

/// <summary>A live feed of store events that match a filter. Dispose it to stop the feed.</summary>
public sealed class WatchSubscription : IDisposable
{
    private readonly Channel<WatchEvent> _channel = Channel.CreateUnbounded<WatchEvent>(new() { SingleReader = true });
    private readonly Action<WatchSubscription> _unsubscribe;

    internal WatchSubscription(ObjectFilter filter, Action<WatchSubscription> unsubscribe)
    {
        Filter = filter;
        _unsubscribe = unsubscribe;
    }

    internal ObjectFilter Filter { get; }

    public ChannelReader<WatchEvent> Events => _channel.Reader;

    internal void Publish(WatchEvent change) => _channel.Writer.TryWrite(change);

    internal void Complete() => _channel.Writer.TryComplete();

    public void Dispose()
    {
        _unsubscribe(this);
        Complete();
    }
}
