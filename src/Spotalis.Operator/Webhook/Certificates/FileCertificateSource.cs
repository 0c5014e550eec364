using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Spotalis.Operator.Webhook.Certificates;

/// <summary>
/// Serves <c>tls.crt</c>/<c>tls.key</c> from a folder (cert-manager or any Secret mount) and reloads them when they
/// change: a file-system watcher reacts at once, and a poll catches what watchers miss (Secret volumes swap a
/// <c>..data</c> symlink). A half-written or broken pair is ignored and the last good certificate kept.
/// </summary>
public sealed partial class FileCertificateSource : IServingCertificateSource, IDisposable
{
    public const string CertificateFile = "tls.crt";
    public const string KeyFile = "tls.key";

    private readonly string _certificatePath;
    private readonly string _keyPath;
    private readonly ILogger _logger;
    private readonly Timer _poll;
    private readonly FileSystemWatcher? _watcher;
    private readonly Lock _reloadLock = new();
    private byte[] _loadedCertificate = [];
    private byte[] _loadedKey = [];
    private volatile X509Certificate2? _current;

    public FileCertificateSource(string directory, TimeSpan pollInterval, ILogger<FileCertificateSource> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _certificatePath = Path.Combine(directory, CertificateFile);
        _keyPath = Path.Combine(directory, KeyFile);
        Reload();
        if (Directory.Exists(directory))
        {
            _watcher = new FileSystemWatcher(directory) { IncludeSubdirectories = false, NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.CreationTime | NotifyFilters.Size };
            _watcher.Changed += (_, _) => Reload();
            _watcher.Created += (_, _) => Reload();
            _watcher.Renamed += (_, _) => Reload();
            _watcher.EnableRaisingEvents = true;
        }

        _poll = new Timer(_ => Reload(), null, pollInterval, pollInterval);
    }

    public X509Certificate2? Current => _current;

    /// <summary>Loads the files when their content differs from what is served; returns true when it changed.</summary>
    public bool Reload()
    {
        lock (_reloadLock)
        {
            byte[] certificate, key;
            try
            {
                certificate = File.ReadAllBytes(_certificatePath);
                key = File.ReadAllBytes(_keyPath);
            }
            catch (IOException ex)
            {
                Log.CertificateUnreadable(_logger, _certificatePath, ex.Message);
                return false;
            }
            catch (UnauthorizedAccessException ex)
            {
                Log.CertificateUnreadable(_logger, _certificatePath, ex.Message);
                return false;
            }

            if (certificate.AsSpan().SequenceEqual(_loadedCertificate) && key.AsSpan().SequenceEqual(_loadedKey))
            {
                return false;
            }

            try
            {
                var loaded = X509Certificate2.CreateFromPem(
                    System.Text.Encoding.UTF8.GetString(certificate), System.Text.Encoding.UTF8.GetString(key));
                _loadedCertificate = certificate;
                _loadedKey = key;
                _current = loaded;
                Log.CertificateLoaded(_logger, _certificatePath, loaded.Subject, loaded.NotAfter);
                return true;
            }
            catch (CryptographicException ex)
            {
                // Often a rotation caught between writing the two files: the next event or poll retries.
                Log.CertificateUnreadable(_logger, _certificatePath, ex.Message);
                return false;
            }
        }
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _poll.Dispose();
    }
}
