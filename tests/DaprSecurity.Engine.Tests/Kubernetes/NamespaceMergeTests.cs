using System.Runtime.CompilerServices;
using DaprSecurity.Engine.Kubernetes;
using Xunit;

namespace DaprSecurity.Engine.Tests.Kubernetes;

public sealed class NamespaceMergeTests
{
    [Fact]
    public async Task Without_a_selection_namespaces_come_in_name_order_once_every_list_has_passed_the_name_before_its_first_dash()
    {
        var secondPage = new TaskCompletionSource();
        var merge = new NamespaceMerge(null, CancellationToken.None);
        try
        {
            // Key order: "a-b/" before "a/". After the first page, "a-b" is complete but "a" might still come.
            var first = merge.Add((_, ct) => PagesAsync(new[] { new[] { "a-b", "a-b" }, new[] { "a", "b" } }, secondPage.Task, ct), ns => ns);
            var second = merge.Add((_, ct) => PagesAsync(new[] { new[] { "a-b", "a", "b", "c-d" } }, Task.CompletedTask, ct), ns => ns);
            var handedOut = new List<string>();
            var reading = Task.Run(async () =>
            {
                await foreach (var ns in merge.NamespacesAsync())
                {
                    handedOut.Add($"{ns}:{first.Take(ns)!.Count}+{second.Take(ns)!.Count}");
                }
            });

            await Task.Delay(200);
            Assert.Empty(handedOut);
            secondPage.SetResult();
            await reading.WaitAsync(TimeSpan.FromSeconds(10));

            Assert.Equal(new[] { "a:1+1", "a-b:2+1", "b:1+1", "c-d:0+1" }, handedOut);
        }
        finally
        {
            await merge.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_list_ahead_of_the_handout_waits_with_two_pages_held_until_the_list_behind_catches_up()
    {
        const int Namespaces = 3000;
        var names = Enumerable.Range(1, Namespaces).Select(i => $"n{i:D4}").ToList();
        var slowStarts = new TaskCompletionSource();
        var fetched = 0;
        var merge = new NamespaceMerge(Task.FromResult<IReadOnlyList<string>?>(names), CancellationToken.None);
        try
        {
            var fast = merge.Add((_, ct) => CountedAsync(names.Chunk(Paging.PageSize).Select(c => c.ToArray()).ToList(), () => Interlocked.Increment(ref fetched), ct), ns => ns);
            var slow = merge.Add((_, ct) => PagesAsync(new[] { names.ToArray() }, slowStarts.Task, ct), ns => ns);
            var handedOut = 0;
            var reading = Task.Run(async () =>
            {
                await foreach (var ns in merge.NamespacesAsync())
                {
                    handedOut += fast.Take(ns)!.Count + slow.Take(ns)!.Count;
                }
            });

            await Task.Delay(300);
            Assert.Equal(3, Volatile.Read(ref fetched)); // 1,500 held: more than two pages, so no fourth page
            Assert.True(fast.Held <= NamespaceMerge.AheadLimit + Paging.PageSize);
            slowStarts.SetResult();
            await reading.WaitAsync(TimeSpan.FromSeconds(10));

            Assert.Equal(Namespaces / Paging.PageSize, fetched);
            Assert.Equal(2 * Namespaces, handedOut);
        }
        finally
        {
            await merge.DisposeAsync();
        }
    }

    private static async IAsyncEnumerable<IList<string>> PagesAsync(IReadOnlyList<string[]> pages, Task beforeLater, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var i = 0; i < pages.Count; i++)
        {
            await (i == 0 && pages.Count == 1 || i > 0 ? beforeLater : Task.CompletedTask).WaitAsync(cancellationToken);
            yield return pages[i];
        }
    }

    private static async IAsyncEnumerable<IList<string>> CountedAsync(IReadOnlyList<string[]> pages, Action fetching, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var page in pages)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            fetching();
            yield return page;
        }
    }
}
