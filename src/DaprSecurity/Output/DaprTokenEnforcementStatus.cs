namespace DaprSecurity.Output;

/// <summary>The verdict of Test-DaprTokenEnforcement.</summary>
public enum DaprTokenEnforcementStatus
{
    /// <summary>Requests without a token and with a wrong one were rejected (401/403); the right token was accepted.</summary>
    Enforced,

    /// <summary>A request without any token was accepted: nothing checks the token on this endpoint.</summary>
    NotEnforced,

    /// <summary>A missing token was rejected but a wrong one was accepted: only the header's presence is checked.</summary>
    WrongTokenAccepted,

    /// <summary>The right token was rejected too: the endpoint expects a different token (not rotated yet, or the wrong kind).</summary>
    TokenRejected,
}
