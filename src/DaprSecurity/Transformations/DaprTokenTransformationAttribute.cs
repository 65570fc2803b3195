using System.Management.Automation;
using System.Security;
using DaprSecurity.Abstractions;
using DaprSecurity.Bootstrap;
using DaprSecurity.Output;
using DaprSecurity.Validation;

namespace DaprSecurity.Transformations;

/// <summary>
/// Lets a -Token parameter take a token object (New-DaprAppToken), a SecureString, or a plain string. Text is
/// described (fingerprint, JWT claims) as an App token; the cmdlet's -Kind decides the kind. Anything else, and text
/// too long for a token, becomes a rejected token that the cmdlet refuses as TokenMalformed before any work.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DaprTokenTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        => (inputData is PSObject wrapped ? wrapped.BaseObject : inputData) switch
        {
            DaprToken token => token,
            SecureString secure => EngineServices.Get<ITokenService>().Describe(secure, DaprTokenKind.App),
            string { Length: > InputRules.MaxTokenLength } text => new DaprToken { Rejection = $"the token is {text.Length} characters long; the limit is {InputRules.MaxTokenLength}." },
            string text => EngineServices.Get<ITokenService>().Describe(SecretText.ToSecureString(text), DaprTokenKind.App),
            null => null!,
            var other => new DaprToken { Rejection = $"a {other.GetType().Name} is not a token." },
        };
}
