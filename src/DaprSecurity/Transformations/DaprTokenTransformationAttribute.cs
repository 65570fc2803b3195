using System.Management.Automation;
using System.Security;
using DaprSecurity.Abstractions;
using DaprSecurity.Bootstrap;
using DaprSecurity.Output;

namespace DaprSecurity.Transformations;

/// <summary>
/// Lets a -Token parameter take a token object (New-DaprAppToken), a SecureString, or a plain string. Text is
/// described (fingerprint, JWT claims) as an App token; the cmdlet's -Kind decides the kind. Anything else is left
/// for PowerShell to reject.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DaprTokenTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        => (inputData is PSObject wrapped ? wrapped.BaseObject : inputData) switch
        {
            DaprToken token => token,
            SecureString secure => EngineServices.Get<ITokenService>().Describe(secure, DaprTokenKind.App),
            string text => EngineServices.Get<ITokenService>().Describe(SecretText.ToSecureString(text), DaprTokenKind.App),
            _ => inputData,
        };
}
