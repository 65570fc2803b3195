using DaprSecurity.Formatting;

namespace DaprSecurity.Output;

/// <summary>How an endpoint answered requests without a token, with a wrong token and with the right one.</summary>
public sealed class DaprTokenEnforcementResult
{
    [TableColumn(0, Width = 22)]
    public string Uri { get; init; } = "";

    [TableColumn(5, Wide = true)]
    public DaprTokenKind Kind { get; init; }

    [TableColumn(1, Width = 18)]
    public DaprTokenEnforcementStatus Status { get; init; }

    /// <summary>True only when the endpoint rejected both bad requests and accepted the right token.</summary>
    public bool Enforced => Status == DaprTokenEnforcementStatus.Enforced;

    /// <summary>HTTP status code of the request without a dapr-api-token header.</summary>
    [TableColumn(2, Width = 12, AlignRight = true)]
    public int WithoutToken { get; init; }

    /// <summary>HTTP status code of the request with a random wrong token.</summary>
    [TableColumn(3, Width = 14, AlignRight = true)]
    public int WithWrongToken { get; init; }

    /// <summary>HTTP status code of the request with the token under test.</summary>
    [TableColumn(4, Width = 9, AlignRight = true)]
    public int WithToken { get; init; }

    /// <summary>The fingerprint of the token under test.</summary>
    public string Fingerprint { get; init; } = "";

    /// <summary>What the verdict means and what to do about it.</summary>
    public string Message { get; init; } = "";

    public override string ToString() => $"{Uri}: {Status}";
}
