using System.Runtime.InteropServices;
using System.Security;
using System.Text;

namespace DaprSecurity.Abstractions;

/// <summary>
/// Moves secrets between SecureString and the buffers APIs need, zeroing the intermediate copies. SecureString is
/// not encrypted off Windows; the module uses it so a token is never printed by accident, and keeps plain copies short-lived.
/// </summary>
public static class SecretText
{
    /// <summary>A read-only SecureString holding <paramref name="text"/>.</summary>
    public static SecureString ToSecureString(ReadOnlySpan<char> text)
    {
        var secure = new SecureString();
        foreach (var ch in text)
        {
            secure.AppendChar(ch);
        }

        secure.MakeReadOnly();
        return secure;
    }

    /// <summary>The UTF-8 bytes of <paramref name="secret"/>. The caller owns the array and should clear it when done.</summary>
    public static byte[] ToUtf8(SecureString secret)
    {
        var chars = ToChars(secret);
        try
        {
            return Encoding.UTF8.GetBytes(chars);
        }
        finally
        {
            Array.Clear(chars);
        }
    }

    /// <summary>The secret as a string, for APIs that only take strings (an HTTP header, an environment variable, -AsPlainText).</summary>
    public static string ToPlainText(SecureString secret)
    {
        var chars = ToChars(secret);
        try
        {
            return new string(chars);
        }
        finally
        {
            Array.Clear(chars);
        }
    }

    /// <summary>The characters of <paramref name="secret"/>. The caller owns the array and should clear it when done.</summary>
    public static char[] ToChars(SecureString secret)
    {
        var pointer = Marshal.SecureStringToGlobalAllocUnicode(secret);
        try
        {
            var chars = new char[secret.Length];
            Marshal.Copy(pointer, chars, 0, chars.Length);
            return chars;
        }
        finally
        {
            Marshal.ZeroFreeGlobalAllocUnicode(pointer);
        }
    }
}
