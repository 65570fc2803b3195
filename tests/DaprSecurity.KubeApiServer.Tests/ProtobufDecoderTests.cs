using DaprSecurity.KubeApiServer.Http;
using DaprSecurity.KubeApiServer.Protobuf;
using DaprSecurity.KubeApiServer.Tests.Infrastructure;

namespace DaprSecurity.KubeApiServer.Tests;

/// <summary>Decoding the <c>k8s\0</c> protobuf envelope that kubectl 1.32 sends for typed creates.</summary>
public sealed class ProtobufDecoderTests
{
    /// <summary>The body of <c>kubectl create secret generic tok --from-literal=token=s3cr3t -n myns</c>, as captured from kubectl 1.32.</summary>
    private const string CapturedSecret =
        "6b387300" + "0a0c0a0276311206536563726574" + "122c" + "0a17" + "0a03746f6b" + "1200" + "1a046d796e73" + "2200" + "2a00" + "3200" + "3800" + "4200"
        + "120f" + "0a05746f6b656e" + "1206733363723374" + "1a00" + "1a00" + "2200";

    [Fact]
    public void DecodesTheSecretKubectlSends()
    {
        var secret = ProtobufDecoder.Decode(Convert.FromHexString(CapturedSecret));

        Assert.Equal("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"tok","namespace":"myns"},"data":{"token":"czNjcjN0"}}""",
            secret.ToJsonString());
        Assert.Equal(Json.Base64("s3cr3t"), secret.Str("data", "token"));
    }

    [Fact]
    public void RejectsBodiesWithoutTheMagicAndUnknownKinds()
    {
        var notProtobuf = Assert.Throws<ApiException>(() => ProtobufDecoder.Decode("{}"u8));
        // typeMeta {apiVersion "v1", kind "Pod"}, no raw object: a kind without a schema.
        var pod = Assert.Throws<ApiException>(() => ProtobufDecoder.Decode(Convert.FromHexString("6b387300" + "0a09" + "0a0276311203506f64")));

        Assert.Equal(400, notProtobuf.Code);
        Assert.Equal(415, pod.Code);
    }
}
