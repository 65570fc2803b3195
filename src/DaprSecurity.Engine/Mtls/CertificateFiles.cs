using DaprSecurity.Abstractions;
using DaprSecurity.Engine.IO;
using DaprSecurity.Output;

namespace DaprSecurity.Engine.Mtls;

/// <summary>Reads trust-bundle certificates from disk: PEM files, or a directory holding ca.crt and issuer.crt (as Export-DaprTrustBundle writes it).</summary>
internal static class CertificateFiles
{
    public static IReadOnlyList<DaprCertificateInfo> Read(string path, DateTime now)
    {
        var files = Directory.Exists(path)
            ? new[] { TrustBundleKeys.RootCertificate, TrustBundleKeys.IssuerCertificate }.Select(name => Path.Combine(path, name)).Where(File.Exists).ToList()
            : new List<string> { path };
        if (files.Count == 0)
        {
            throw DaprErrors.CertificateNotFound.Raise($"The directory {path} holds neither {TrustBundleKeys.RootCertificate} nor {TrustBundleKeys.IssuerCertificate}.", path);
        }

        return files.SelectMany(file =>
        {
            var certificates = Pem.ReadCertificates(ReadText(file), file);
            if (certificates.Count == 0)
            {
                throw DaprErrors.CertificateNotFound.Raise($"{file} holds no PEM certificate.", file);
            }

            return TrustChainRoles.Assign(certificates).Select(c => CertificateInspector.Describe(c.Certificate, c.Role, file, null, now));
        }).ToList();
    }

    /// <summary>The text of a file; a missing, unreadable, special or oversized file is a clear error naming it.</summary>
    public static string ReadText(string file)
    {
        try
        {
            return InputFile.Exists(file, InputFile.PemMaxBytes, "certificate or key")
                ? File.ReadAllText(file)
                : throw DaprErrors.CertificateFileNotFound.Raise($"The file {file} does not exist.", file);
        }
        catch (FileNotFoundException e)
        {
            throw DaprErrors.CertificateFileNotFound.Raise($"The file {file} does not exist.", file, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw DaprErrors.CertificateFileUnreadable.Raise($"Cannot read {file}: {e.Message}", file, e);
        }
    }
}
