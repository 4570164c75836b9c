using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MlWorkflow.Server.Hosting;

/// <summary>Resolves the HTTPS certificate of <see cref="TrackingServerOptions"/>: the given one, a PKCS#12 file or a PEM certificate and key.</summary>
internal static class ServerCertificate
{
    /// <summary>Loads the certificate the options name.</summary>
    /// <param name="options">The server settings.</param>
    /// <returns>The certificate (null for plain HTTP) and whether the server owns it (loaded from a file, so the server disposes it).</returns>
    /// <exception cref="ArgumentException">The settings conflict, a file cannot be read, or the certificate has no private key.</exception>
    public static (X509Certificate2? Certificate, bool Owned) Load(TrackingServerOptions options)
    {
        if (options.Certificate is not null && options.CertificatePath is not null)
        {
            throw new ArgumentException("Certificate and CertificatePath cannot both be set: give the certificate either as an object or as a file.", nameof(options));
        }

        if (options.CertificatePath is null && options.CertificateKeyPath is not null)
        {
            throw new ArgumentException("CertificateKeyPath needs CertificatePath (the PEM certificate the key belongs to).", nameof(options));
        }

        if (options.Certificate is { } given)
        {
            return (RequirePrivateKey(given, "The Certificate"), false);
        }

        if (options.CertificatePath is not { } path)
        {
            return (null, false);
        }

        foreach (var file in new[] { path, options.CertificateKeyPath })
        {
            if (file is not null && !File.Exists(file))
            {
                throw new ArgumentException($"The server certificate file '{file}' does not exist.", nameof(options));
            }
        }

        X509Certificate2 loaded;
        try
        {
            loaded = options.CertificateKeyPath is { } keyPath
                ? LoadPem(path, keyPath, options.CertificatePassword)
                : X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            // The password is never part of the message: only the paths and the reader's own reason.
            var what = options.CertificateKeyPath is { } key ? $"PEM certificate '{path}' with key '{key}'" : $"PKCS#12 certificate '{path}'";
            throw new ArgumentException($"Cannot read the server's {what}: {e.Message}", nameof(options), e);
        }

        try
        {
            return (RequirePrivateKey(loaded, $"The certificate at '{path}'"), true);
        }
        catch
        {
            loaded.Dispose();
            throw;
        }
    }

    private static X509Certificate2 LoadPem(string certificatePath, string keyPath, string? password)
    {
        using var pem = password is null
            ? X509Certificate2.CreateFromPemFile(certificatePath, keyPath)
            : X509Certificate2.CreateFromEncryptedPemFile(certificatePath, password, keyPath);

        // SslStream on Windows cannot use the ephemeral key of a PEM-loaded certificate: round-trip it through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    private static X509Certificate2 RequirePrivateKey(X509Certificate2 certificate, string what) =>
        certificate.HasPrivateKey
            ? certificate
            : throw new ArgumentException($"{what} ({certificate.Subject}) has no private key; a server certificate needs one.");
}
