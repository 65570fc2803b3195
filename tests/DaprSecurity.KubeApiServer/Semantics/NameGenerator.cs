namespace DaprSecurity.KubeApiServer.Semantics;

/// <summary>Random and hashed name parts in the style of apimachinery <c>rand.String</c> and <c>rand.SafeEncodeString</c>.</summary>
internal static class NameGenerator
{
    // No vowels and no look-alike characters, so generated names never spell words.
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string RandomSuffix(int length = 5) =>
        string.Create(length, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[Random.Shared.Next(Alphabet.Length)];
            }
        });

    /// <summary>A stable short hash of <paramref name="text"/> (FNV-1a), used like <c>pod-template-hash</c>.</summary>
    public static string StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }
        var chars = new char[10];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[(int)(hash % (uint)Alphabet.Length)];
            hash = (hash / (uint)Alphabet.Length) ^ (hash << 7) ^ (uint)i;
        }
        return new string(chars);
    }
}
